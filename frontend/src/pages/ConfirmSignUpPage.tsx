import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { useMutation } from "urql";
import { AuthCard } from "../components/AuthCard";
import { graphql } from "../gql";

const ConfirmSignUp = graphql(`
  mutation ConfirmSignUp($input: ConfirmSignUpInput!) {
    confirmSignUp(input: $input) {
      token
      user {
        id
        name
      }
    }
  }
`);

/** Where the sign-up e-mail's link lands (`/app/signup/{token}`): one button creates the
 * brokerage and signs its owner in (a button, not on load: mail scanners open links). */
export function ConfirmSignUpPage() {
  const { t } = useTranslation();
  const { token } = useParams();
  const navigate = useNavigate();
  const [state, confirm] = useMutation(ConfirmSignUp);

  async function run() {
    const result = await confirm({ input: { token: token ?? "" } });
    return { token: result.data?.confirmSignUp.token, error: result.error };
  }

  return (
    <AuthCard
      title={t("auth.confirmSignUpTitle")}
      lead={t("auth.confirmSignUpLead")}
      submitLabel={t("auth.confirmSignUp")}
      busy={state.fetching}
      run={run}
      onSignedIn={() => navigate("/", { replace: true })}
    />
  );
}

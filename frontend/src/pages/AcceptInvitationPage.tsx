import { PasswordInput, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { useMutation } from "urql";
import { AuthCard } from "../components/AuthCard";
import { graphql } from "../gql";

const AcceptInvitation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      token
      user {
        id
        name
      }
    }
  }
`);

/** Where the invitation e-mail's link lands (`/app/invitations/{token}`): the invited person
 * picks a name and password and is signed in as the role they were invited with. */
export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const { token } = useParams();
  const navigate = useNavigate();
  const [state, accept] = useMutation(AcceptInvitation);
  const [form, setForm] = useState({ name: "", password: "" });

  async function run() {
    const result = await accept({ input: { token: token ?? "", ...form } });
    return { token: result.data?.acceptInvitation.token, error: result.error };
  }

  return (
    <AuthCard
      title={t("auth.invitationTitle")}
      lead={t("auth.invitationLead")}
      submitLabel={t("auth.acceptInvitation")}
      busy={state.fetching}
      run={run}
      onSignedIn={() => navigate("/", { replace: true })}
    >
      <TextInput
        label={t("auth.name")}
        required
        autoComplete="name"
        value={form.name}
        onChange={(e) => {
          const { value } = e.currentTarget;
          setForm((f) => ({ ...f, name: value }));
        }}
      />
      <PasswordInput
        label={t("auth.password")}
        required
        description={t("auth.passwordHint")}
        autoComplete="new-password"
        value={form.password}
        onChange={(e) => {
          const { value } = e.currentTarget;
          setForm((f) => ({ ...f, password: value }));
        }}
      />
    </AuthCard>
  );
}

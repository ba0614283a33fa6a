import { Anchor, PasswordInput, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation, useNavigate } from "react-router-dom";
import { useMutation } from "urql";
import { AuthCard } from "../components/AuthCard";
import { graphql } from "../gql";
import { useAuth } from "../lib/auth";

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      email
    }
  }
`);

const LogIn = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      token
      user {
        id
        name
      }
    }
  }
`);

export function AuthPage({ mode }: { mode: "login" | "signup" }) {
  const { t } = useTranslation();
  const { token } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [signUpState, signUp] = useMutation(SignUp);
  const [logInState, logIn] = useMutation(LogIn);
  const [form, setForm] = useState({ name: "", brokerageName: "", email: "", password: "" });
  const [sentTo, setSentTo] = useState<string | null>(null);
  const signup = mode === "signup";

  if (token) return <Navigate to="/" replace />;
  // The same answer whether the address is new or already has an account: the e-mail says which.
  if (signup && sentTo) {
    return (
      <AuthCard title={t("auth.signUpSentTitle")} lead={t("auth.signUpSent", { email: sentTo })} />
    );
  }

  // The value is read while the event is dispatched: React runs the updater later, when
  // currentTarget is already null (fast typing crashed the page).
  const set = (field: keyof typeof form) => (event: { currentTarget: HTMLInputElement }) => {
    const { value } = event.currentTarget;
    setForm((f) => ({ ...f, [field]: value }));
  };

  async function run() {
    if (signup) {
      const result = await signUp({ input: form });
      if (result.data) setSentTo(result.data.signUp.email);
      return { error: result.error, done: Boolean(result.data) };
    }
    const result = await logIn({ input: { email: form.email, password: form.password } });
    return { token: result.data?.logIn.token, error: result.error };
  }

  const from = (location.state as { from?: string } | null)?.from;
  return (
    <AuthCard
      title={signup ? t("auth.signUpTitle") : t("auth.logInTitle")}
      lead={signup ? t("auth.signUpLead") : t("auth.logInLead")}
      submitLabel={signup ? t("auth.signUp") : t("auth.logIn")}
      busy={signUpState.fetching || logInState.fetching}
      run={run}
      onSignedIn={() => navigate(signup ? "/" : (from ?? "/"), { replace: true })}
      footer={
        <Text size="sm" ta="center" mt="md">
          {signup ? t("auth.haveAccount") : t("auth.noAccount")}{" "}
          <Anchor component={Link} to={signup ? "/login" : "/signup"}>
            {signup ? t("auth.logIn") : t("auth.signUp")}
          </Anchor>
        </Text>
      }
    >
      {signup && (
        <>
          <TextInput label={t("auth.name")} required autoComplete="name" value={form.name} onChange={set("name")} />
          <TextInput
            label={t("auth.brokerageName")}
            required
            autoComplete="organization"
            value={form.brokerageName}
            onChange={set("brokerageName")}
          />
        </>
      )}
      <TextInput label={t("auth.email")} type="email" required autoComplete="email" value={form.email} onChange={set("email")} />
      <PasswordInput
        label={t("auth.password")}
        required
        description={signup ? t("auth.passwordHint") : undefined}
        autoComplete={signup ? "new-password" : "current-password"}
        value={form.password}
        onChange={set("password")}
      />
    </AuthCard>
  );
}

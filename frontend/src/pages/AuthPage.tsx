import {
  Alert,
  Anchor,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation, useNavigate } from "react-router-dom";
import { useMutation } from "urql";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { graphql } from "../gql";
import { useAuth } from "../lib/auth";
import { errorMessage } from "../lib/errors";

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
      user {
        id
        name
      }
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
  const { token, signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [signUpState, signUp] = useMutation(SignUp);
  const [logInState, logIn] = useMutation(LogIn);
  const [form, setForm] = useState({ name: "", brokerageName: "", email: "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const busy = signUpState.fetching || logInState.fetching;

  if (token) return <Navigate to="/" replace />;

  const set = (field: keyof typeof form) => (event: { currentTarget: HTMLInputElement }) =>
    setForm((f) => ({ ...f, [field]: event.currentTarget.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result =
      mode === "signup"
        ? await signUp({ input: form })
        : await logIn({ input: { email: form.email, password: form.password } });
    const payload = result.data && ("signUp" in result.data ? result.data.signUp : result.data.logIn);
    if (!payload) {
      setError(errorMessage(result.error, t("common.networkError")));
      return;
    }
    signIn(payload.token);
    const from = (location.state as { from?: string } | null)?.from;
    navigate(mode === "signup" ? "/" : from ?? "/", { replace: true });
  }

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420} component="main">
        <Group justify="space-between" mb="md">
          <Title order={1} size="h3" c="blue.8">
            BR SCALE
          </Title>
          <LanguageSwitch />
        </Group>
        <Title order={2} size="h4" mb={4}>
          {mode === "signup" ? t("auth.signUpTitle") : t("auth.logInTitle")}
        </Title>
        <Text size="sm" c="dimmed" mb="lg">
          {mode === "signup" ? t("auth.signUpLead") : t("auth.logInLead")}
        </Text>
        <form onSubmit={submit} noValidate={false}>
          <Stack>
            {mode === "signup" && (
              <>
                <TextInput
                  label={t("auth.name")}
                  required
                  autoComplete="name"
                  value={form.name}
                  onChange={set("name")}
                />
                <TextInput
                  label={t("auth.brokerageName")}
                  required
                  autoComplete="organization"
                  value={form.brokerageName}
                  onChange={set("brokerageName")}
                />
              </>
            )}
            <TextInput
              label={t("auth.email")}
              type="email"
              required
              autoComplete="email"
              value={form.email}
              onChange={set("email")}
            />
            <PasswordInput
              label={t("auth.password")}
              required
              description={mode === "signup" ? t("auth.passwordHint") : undefined}
              autoComplete={mode === "signup" ? "new-password" : "current-password"}
              value={form.password}
              onChange={set("password")}
            />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy} fullWidth>
              {mode === "signup" ? t("auth.signUp") : t("auth.logIn")}
            </Button>
          </Stack>
        </form>
        <Text size="sm" ta="center" mt="md">
          {mode === "signup" ? t("auth.haveAccount") : t("auth.noAccount")}{" "}
          <Anchor component={Link} to={mode === "signup" ? "/login" : "/signup"}>
            {mode === "signup" ? t("auth.logIn") : t("auth.signUp")}
          </Anchor>
        </Text>
      </Paper>
    </Center>
  );
}

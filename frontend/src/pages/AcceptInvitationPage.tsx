import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { useMutation } from "urql";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { graphql } from "../gql";
import { useAuth } from "../lib/auth";
import { errorMessage } from "../lib/errors";

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
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [state, accept] = useMutation(AcceptInvitation);
  const [form, setForm] = useState({ name: "", password: "" });
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await accept({ input: { token: token ?? "", ...form } });
    const payload = result.data?.acceptInvitation;
    if (!payload) {
      setError(errorMessage(result.error, t("common.networkError")));
      return;
    }
    signIn(payload.token);
    navigate("/", { replace: true });
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
          {t("auth.invitationTitle")}
        </Title>
        <Text size="sm" c="dimmed" mb="lg">
          {t("auth.invitationLead")}
        </Text>
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label={t("auth.name")}
              required
              autoComplete="name"
              value={form.name}
              onChange={(e) => setForm((f) => ({ ...f, name: e.currentTarget.value }))}
            />
            <PasswordInput
              label={t("auth.password")}
              required
              description={t("auth.passwordHint")}
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => setForm((f) => ({ ...f, password: e.currentTarget.value }))}
            />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={state.fetching} fullWidth>
              {t("auth.acceptInvitation")}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

import { Alert, Button, Center, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CombinedError } from "urql";
import { useAuth } from "../lib/auth";
import { errorMessage } from "../lib/errors";
import { LanguageSwitch } from "./LanguageSwitch";

/**
 * The signed-out screens' card (sign up, log in, an invitation): the brand, the language switch,
 * a title and a line, the form's fields, its error and its button. `run` returns the session's
 * token, or the error to show; with a token the person is signed in and `onSignedIn` runs
 * (`done` without a token: the page shows what comes next itself, e.g. "check your e-mail").
 */
export function AuthCard({
  title,
  lead,
  submitLabel,
  busy,
  run,
  onSignedIn,
  children,
  footer,
}: {
  title: string;
  lead: string;
  submitLabel?: string;
  busy?: boolean;
  /** Without `run` the card is a message alone (no form). */
  run?: () => Promise<{ token?: string; error?: CombinedError; done?: boolean }>;
  onSignedIn?: () => void;
  children?: ReactNode;
  footer?: ReactNode;
}) {
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!run) return;
    setError(null);
    const { token, error: failure, done } = await run();
    if (done) return;
    if (!token) {
      setError(errorMessage(failure, t("common.networkError")));
      return;
    }
    signIn(token);
    onSignedIn?.();
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
          {title}
        </Title>
        <Text size="sm" c="dimmed" mb="lg">
          {lead}
        </Text>
        {run && (
          <form onSubmit={submit}>
            <Stack>
              {children}
              {error && (
                <Alert color="red" role="alert">
                  {error}
                </Alert>
              )}
              <Button type="submit" loading={busy} fullWidth>
                {submitLabel}
              </Button>
            </Stack>
          </form>
        )}
        {footer}
      </Paper>
    </Center>
  );
}

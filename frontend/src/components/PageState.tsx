import { Alert, Button, Center, Loader, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { CombinedError } from "urql";
import { errorCode, errorMessage } from "../lib/errors";

/** Loading and error states shared by every screen: a spinner, or the error with a retry. */
export function PageState({
  fetching,
  error,
  retry,
  children,
}: {
  fetching: boolean;
  error?: CombinedError;
  retry?: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  if (error && !children && errorCode(error) === "NOT_FOUND") {
    // An old link, or a lead given to someone else: retrying cannot help, and the API's
    // "Conversation not found" is English.
    return (
      <Alert color="gray" title={t("common.notFoundTitle")} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t("common.notFound")}</Text>
          <Button size="xs" variant="default" component={Link} to="/">
            {t("common.goHome")}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (error && !children) {
    return (
      <Alert color="red" title={t("common.errorTitle")} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(error, t("common.networkError"))}</Text>
          {retry && (
            <Button size="xs" variant="light" color="red" onClick={retry}>
              {t("common.retry")}
            </Button>
          )}
        </Stack>
      </Alert>
    );
  }
  if (fetching && !children) {
    return (
      <Center py="xl" role="status" aria-label={t("common.loading")}>
        <Loader />
      </Center>
    );
  }
  return <>{children}</>;
}

export function EmptyState({
  title,
  text,
  action,
}: {
  title: string;
  text: string;
  action?: ReactNode;
}) {
  return (
    <Stack align="center" gap="xs" py="xl" px="md" ta="center">
      <Text fw={600}>{title}</Text>
      <Text size="sm" c="dimmed" maw={420}>
        {text}
      </Text>
      {action}
    </Stack>
  );
}

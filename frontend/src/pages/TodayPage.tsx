import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { EmptyState, PageState } from "../components/PageState";
import { graphql } from "../gql";
import type { TaskKind } from "../gql/graphql";
import { errorMessage } from "../lib/errors";
import { formatRelative } from "../lib/format";

const TodayQuery = graphql(`
  query Today($done: Boolean) {
    brokerTasks(first: 100, done: $done) {
      totalCount
      edges {
        node {
          id
          kind
          title
          summary
          done
          createdAt
        }
      }
    }
  }
`);

const CompleteTask = graphql(`
  mutation CompleteTask($id: ID!, $done: Boolean!) {
    completeBrokerTask(id: $id, done: $done) {
      id
      done
    }
  }
`);

const KIND_COLOR: Record<TaskKind, string> = {
  CALL_HOT_LEAD: "red",
  HANDOFF: "teal",
  VIEWING: "violet",
  QUESTION: "blue",
  QUALIFIED: "green",
};

export function TodayPage() {
  const { t, i18n } = useTranslation();
  const [show, setShow] = useState<"open" | "done">("open");
  const [{ data, fetching, error }, refetch] = useQuery({
    query: TodayQuery,
    variables: { done: show === "done" },
  });
  const [complete, setComplete] = useMutation(CompleteTask);

  async function toggle(id: string, done: boolean) {
    const result = await setComplete({ id, done });
    if (result.error) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
      return;
    }
    refetch({ requestPolicy: "network-only" });
  }

  const tasks = data?.brokerTasks.edges.map((e) => e.node) ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t("today.title")}
        </Title>
        <SegmentedControl
          aria-label={t("today.filter")}
          value={show}
          onChange={(v) => setShow(v as "open" | "done")}
          data={[
            { value: "open", label: t("today.open") },
            { value: "done", label: t("today.done") },
          ]}
        />
      </Group>
      <PageState fetching={fetching} error={error} retry={() => refetch({ requestPolicy: "network-only" })}>
        {data &&
          (tasks.length === 0 ? (
            <EmptyState title={t("today.emptyTitle")} text={t("today.empty")} />
          ) : (
            <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
              {tasks.map((task) => (
                <Card key={task.id} withBorder radius="md" component="li">
                  <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                    <Stack gap={4} style={{ flex: "1 1 260px", minWidth: 0 }}>
                      <Group gap="xs">
                        <Badge color={KIND_COLOR[task.kind]} variant="light">
                          {t(`taskKind.${task.kind}`)}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {formatRelative(task.createdAt, i18n.language)}
                        </Text>
                      </Group>
                      <Text fw={600}>{task.title}</Text>
                      <Text size="sm" c="dimmed" style={{ whiteSpace: "pre-line" }}>
                        {task.summary}
                      </Text>
                    </Stack>
                    <Button
                      variant={task.done ? "default" : "filled"}
                      color={task.done ? "gray" : "green"}
                      loading={complete.fetching && complete.operation?.variables?.id === task.id}
                      onClick={() => toggle(task.id, !task.done)}
                      aria-label={`${task.done ? t("today.reopen") : t("today.complete")}: ${task.title}`}
                    >
                      {task.done ? t("today.reopen") : t("today.complete")}
                    </Button>
                  </Group>
                </Card>
              ))}
            </Stack>
          ))}
      </PageState>
    </Stack>
  );
}

import { Anchor, Badge, Button, Card, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { EmptyState, PageState } from "../components/PageState";
import { AnswerForm, QualificationBreakdown, ViewingPanel, placeOf } from "../components/tasks";
import { graphql } from "../gql";
import type { TaskKind, TaskStatus, TodayQuery as TodayData } from "../gql/graphql";
import { errorMessage } from "../lib/errors";
import { formatDateTime, formatRelative } from "../lib/format";
import { useLiveRefetch } from "../lib/useLiveRefetch";

const TodayQuery = graphql(`
  query Today($status: TaskStatus, $first: Int!) {
    brokerage {
      id
      timezone
    }
    brokerTasks(first: $first, status: $status) {
      totalCount
      pageInfo {
        hasNextPage
      }
      edges {
        node {
          id
          kind
          title
          summary
          status
          dueAt
          createdAt
          lead {
            id
            name
            phone
            email
          }
          property {
            id
            title
            address
            location
            city
          }
          conversation {
            id
            qualificationScore
            qualification {
              signal
              points
            }
            viewing {
              id
              status
              startsAt
              endsAt
            }
          }
        }
      }
    }
  }
`);

const CompleteTask = graphql(`
  mutation CompleteTask($id: ID!, $done: Boolean!) {
    completeBrokerTask(id: $id, done: $done) {
      id
      status
    }
  }
`);

const KIND_COLOR: Record<TaskKind, string> = {
  CALL_HOT_LEAD: "red",
  HANDOFF: "teal",
  VIEWING: "violet",
  QUESTION: "blue",
  QUALIFIED: "green",
  REFERRAL: "orange",
};

type Task = TodayData["brokerTasks"]["edges"][number]["node"];

function TaskCard({
  task,
  timeZone,
  onChanged,
}: {
  task: Task;
  timeZone: string;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [complete, setComplete] = useMutation(CompleteTask);
  const open = task.status === "OPEN";
  const answerable = open && (task.kind === "QUESTION" || task.kind === "HANDOFF");
  const viewing = task.kind === "VIEWING" ? task.conversation.viewing : null;
  const scored =
    task.kind === "QUALIFIED" || (task.kind === "CALL_HOT_LEAD" && task.conversation.qualification.length > 0);

  async function toggle() {
    const result = await setComplete({ id: task.id, done: open });
    if (result.error) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
      return;
    }
    onChanged();
  }

  return (
    <Card withBorder radius="md" component="li" aria-label={task.title} data-task-kind={task.kind}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={6} style={{ flex: "1 1 260px", minWidth: 0 }}>
          <Group gap="xs">
            <Badge color={KIND_COLOR[task.kind]} variant="light">
              {t(`taskKind.${task.kind}`)}
            </Badge>
            {task.status === "CANCELLED" && (
              <Badge color="gray" variant="outline">
                {t("today.cancelled")}
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {formatRelative(task.createdAt, i18n.language)}
            </Text>
            {task.dueAt && open && (
              <Text size="xs" c="dimmed">
                · {t("today.due", { when: formatDateTime(task.dueAt, i18n.language, timeZone) })}
              </Text>
            )}
          </Group>
          <Text fw={600}>{task.title}</Text>
          <Group gap="xs" wrap="wrap">
            <Anchor component={Link} to={`/conversations/${task.conversation.id}`} size="sm">
              {t("today.openConversation", { name: task.lead.name })}
            </Anchor>
            {task.property && (
              <>
                <Text size="sm" c="dimmed" aria-hidden="true">
                  ·
                </Text>
                <Anchor component={Link} to={`/listings/${task.property.id}`} size="sm">
                  {task.property.title}
                </Anchor>
              </>
            )}
            {task.lead.phone && (
              <>
                <Text size="sm" c="dimmed" aria-hidden="true">
                  ·
                </Text>
                <Anchor href={`tel:${task.lead.phone}`} size="sm">
                  {task.lead.phone}
                </Anchor>
              </>
            )}
          </Group>
          {task.summary && (
            <Text size="sm" c="dimmed" style={{ whiteSpace: "pre-line" }}>
              {task.summary}
            </Text>
          )}
          {viewing && (
            <ViewingPanel
              key={`${viewing.id}-${viewing.startsAt}`}
              viewing={viewing}
              timeZone={timeZone}
              address={placeOf(task.property)}
              onChanged={onChanged}
            />
          )}
          {scored && (
            <QualificationBreakdown
              score={task.conversation.qualificationScore}
              signals={task.conversation.qualification}
            />
          )}
          {answerable && <AnswerForm taskId={task.id} leadName={task.lead.name} onAnswered={onChanged} />}
        </Stack>
        {task.status !== "CANCELLED" && (
          <Button
            variant={open ? "filled" : "default"}
            color={open ? "green" : "gray"}
            loading={complete.fetching}
            onClick={toggle}
            aria-label={`${open ? t("today.complete") : t("today.reopen")}: ${task.title}`}
          >
            {open ? t("today.complete") : t("today.reopen")}
          </Button>
        )}
      </Group>
    </Card>
  );
}

const SHOW: Record<"open" | "done" | "cancelled", TaskStatus> = {
  open: "OPEN",
  done: "DONE",
  cancelled: "CANCELLED",
};

/** Tasks per page: "show more" asks for the next ones with those already shown, so the live
 * refetch keeps every shown task up to date. */
export const PAGE = 25;

export function TodayPage() {
  const { t } = useTranslation();
  const [show, setShow] = useState<keyof typeof SHOW>("open");
  const [first, setFirst] = useState(PAGE);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: TodayQuery,
    variables: { status: SHOW[show], first },
  });
  const refresh = () => refetch({ requestPolicy: "network-only" });
  // New questions, viewings and qualified leads arrive while the page is open.
  useLiveRefetch(refresh, { everyMs: 1000 });

  const tasks = data?.brokerTasks.edges.map((e) => e.node) ?? [];
  const timeZone = data?.brokerage.timezone ?? "UTC";
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t("today.title")}
        </Title>
        <SegmentedControl
          aria-label={t("today.filter")}
          value={show}
          onChange={(v) => {
            setShow(v as keyof typeof SHOW);
            setFirst(PAGE);
          }}
          data={[
            { value: "open", label: t("today.open") },
            { value: "done", label: t("today.done") },
            { value: "cancelled", label: t("today.cancelledPlural") },
          ]}
        />
      </Group>
      <PageState fetching={fetching} error={error} retry={refresh}>
        {data &&
          (tasks.length === 0 ? (
            <EmptyState title={t("today.emptyTitle")} text={t("today.empty")} />
          ) : (
            <Stack gap="sm">
              <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
                {tasks.map((task) => (
                  <TaskCard key={task.id} task={task} timeZone={timeZone} onChanged={refresh} />
                ))}
              </Stack>
              <Group justify="space-between" wrap="wrap">
                <Text size="sm" c="dimmed" role="status">
                  {t("today.shown", { shown: tasks.length, total: data.brokerTasks.totalCount })}
                </Text>
                {data.brokerTasks.pageInfo.hasNextPage && (
                  <Button variant="default" loading={fetching} onClick={() => setFirst((n) => n + PAGE)}>
                    {t("today.more")}
                  </Button>
                )}
              </Group>
            </Stack>
          ))}
      </PageState>
    </Stack>
  );
}

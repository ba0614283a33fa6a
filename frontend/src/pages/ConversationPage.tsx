import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { IntentBadge, StatusBadge, TemperatureBadge } from "../components/badges";
import { PageState } from "../components/PageState";
import { LeadHistory } from "../components/LeadHistory";
import { AnswerForm, QualificationBreakdown, ViewingPanel, placeOf } from "../components/tasks";
import { AssignLead } from "../components/AssignLead";
import { graphql } from "../gql";
import type { ConversationViewQuery } from "../gql/graphql";
import { errorMessage } from "../lib/errors";
import { formatDateTime, formatMoney, rangeText } from "../lib/format";
import { ApproveDraft } from "../lib/operations";
import { useLiveRefetch } from "../lib/useLiveRefetch";

const ConversationView = graphql(`
  query ConversationView($id: ID!) {
    brokerage {
      id
      timezone
    }
    node(id: $id) {
      ... on Conversation {
        id
        threadId
        status
        qualificationScore
        nextAction
        takenOver
        channels
        language
        lead {
          id
          name
          email
          phone
          temperature
          assignee {
            id
            name
          }
          ...LeadHistory
          preferences {
            locations
            minBudget
            maxBudget
            rentMinBudget
            rentMaxBudget
            currency
            bedrooms
            operation
          }
        }
        qualification {
          signal
          points
        }
        property {
          id
          title
          address
          location
          city
        }
        viewing {
          id
          status
          startsAt
          endsAt
        }
        messages {
          id
          direction
          channel
          subject
          body
          status
          intent
          error
          segments
          sentAt
          createdAt
        }
        tasks {
          id
          kind
          title
          summary
          status
        }
      }
    }
  }
`);

const RejectDraft = graphql(`
  mutation RejectDraft($id: ID!) {
    rejectMessage(id: $id) {
      id
      status
    }
  }
`);

const TakeOver = graphql(`
  mutation TakeOver($id: ID!) {
    takeOverConversation(id: $id) {
      id
      takenOver
    }
  }
`);

const HandBack = graphql(`
  mutation HandBack($id: ID!) {
    handBackConversation(id: $id) {
      id
      takenOver
      status
    }
  }
`);

type Conversation = Extract<ConversationViewQuery["node"], { __typename?: "Conversation" }>;
type Message = Conversation["messages"][number];

function DraftActions({ message, onDone }: { message: Message; onDone: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(message.body);
  const [approveState, approve] = useMutation(ApproveDraft);
  const [rejectState, reject] = useMutation(RejectDraft);

  async function run(action: "approve" | "reject") {
    const result =
      action === "approve"
        ? await approve({ id: message.id, body: editing && body !== message.body ? body : null })
        : await reject({ id: message.id });
    if (result.error) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
      return;
    }
    notifications.show({
      color: action === "approve" ? "green" : "gray",
      message: action === "approve" ? t("conversation.approved") : t("conversation.rejected"),
    });
    setEditing(false);
    onDone();
  }

  return (
    <Stack gap="xs" mt="xs">
      {editing && (
        <Textarea
          label={t("conversation.editDraft", { channel: t(`channel.${message.channel}`) })}
          autosize
          minRows={3}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
        />
      )}
      <Group gap="xs">
        <Button size="xs" color="green" loading={approveState.fetching} onClick={() => run("approve")}>
          {editing ? t("conversation.sendEdited") : t("conversation.approve")}
        </Button>
        {!editing && (
          <Button size="xs" variant="default" onClick={() => setEditing(true)}>
            {t("common.edit")}
          </Button>
        )}
        <Button size="xs" variant="subtle" color="red" loading={rejectState.fetching} onClick={() => run("reject")}>
          {t("conversation.reject")}
        </Button>
      </Group>
    </Stack>
  );
}

export function MessageBubble({ message, onChanged }: { message: Message; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const inbound = message.direction === "INBOUND";
  const draft = message.status === "DRAFT";
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      className={inbound ? "message-inbound" : "message-outbound"}
      bg={inbound ? "white" : draft ? "yellow.0" : "blue.0"}
      component="li"
      aria-label={inbound ? t("conversation.fromLead") : t("conversation.fromAgent")}
    >
      <Group gap={6} mb={4}>
        <Badge size="xs" variant="light" color="gray">
          {t(`channel.${message.channel}`)}
        </Badge>
        {draft ? (
          <Badge size="xs" color="yellow.8">
            {t("conversation.draft")}
          </Badge>
        ) : (
          <Text size="xs" c="dimmed">
            {t(`messageStatus.${message.status}`)} · {formatDateTime(message.sentAt ?? message.createdAt, i18n.language)}
            {/* What a text costs: carriers bill per segment (one accent makes the whole text UCS-2). */}
            {message.segments != null && ` · ${t("conversation.segments", { count: message.segments })}`}
          </Text>
        )}
        {message.intent && <IntentBadge intent={message.intent} />}
      </Group>
      {message.subject && (
        <Text size="sm" fw={600}>
          {message.subject}
        </Text>
      )}
      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
        {message.body}
      </Text>
      {message.error && (
        <Text size="xs" c="red.8" mt={4}>
          {message.error}
        </Text>
      )}
      {draft && <DraftActions message={message} onDone={onChanged} />}
    </Paper>
  );
}

/** A budget in the lead's currency: "hasta $5,000,000", "desde …", or a range. */
export function budgetText(min: number | null | undefined, max: number | null | undefined, currency: string, t: TFunction, language: string) {
  return rangeText(min, max, (v) => formatMoney(v, currency, language), t);
}

function BudgetLine({ label, min, max, currency }: { label: string; min?: number | null; max?: number | null; currency?: string | null }) {
  const { t, i18n } = useTranslation();
  if (min == null && max == null) return null;
  return (
    <Text size="sm" c="dimmed">
      {label}: {budgetText(min, max, currency ?? "MXN", t, i18n.language)}
    </Text>
  );
}

export function ConversationPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ConversationView, variables: { id } });
  const refresh = () => refetch({ requestPolicy: "network-only" });
  const c = data?.node.__typename === "Conversation" ? data.node : null;
  useLiveRefetch(refresh, { propertyId: c?.property.id, conversationId: id, pause: !c });
  const [takeOverState, takeOver] = useMutation(TakeOver);
  const [handBackState, handBack] = useMutation(HandBack);

  async function toggleTakeOver(conversation: Conversation) {
    const result = conversation.takenOver ? await handBack({ id: conversation.id }) : await takeOver({ id: conversation.id });
    if (result.error) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
      return;
    }
    refresh();
  }

  return (
    <PageState fetching={fetching} error={error} retry={refresh}>
      {c && (
        <Stack gap="md">
          <Anchor component={Link} to={`/listings/${c.property.id}`} size="sm">
            ← {c.property.title}
          </Anchor>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={1} size="h2">
                {c.lead.name}
              </Title>
              <Group gap="xs" mt={4}>
                <StatusBadge status={c.status} />
                <TemperatureBadge temperature={c.lead.temperature} />
                <Text size="sm" c="dimmed">
                  {t("conversation.score", { score: c.qualificationScore })}
                </Text>
              </Group>
            </div>
            <Button
              variant={c.takenOver ? "filled" : "default"}
              color={c.takenOver ? "orange" : undefined}
              loading={takeOverState.fetching || handBackState.fetching}
              onClick={() => toggleTakeOver(c)}
            >
              {c.takenOver ? t("conversation.handBack") : t("conversation.takeOver")}
            </Button>
          </Group>
          {c.takenOver && (
            <Alert color="orange" role="status">
              {t("conversation.takenOver")}
            </Alert>
          )}
          <Grid>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Card withBorder radius="md">
                <Title order={2} size="h5" mb="sm">
                  {t("conversation.messages")}
                </Title>
                <Stack gap="sm" component="ol" p={0} m={0} style={{ listStyle: "none" }}>
                  {c.messages.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t("conversation.noMessages")}
                    </Text>
                  ) : (
                    c.messages.map((m) => <MessageBubble key={m.id} message={m} onChanged={refresh} />)
                  )}
                </Stack>
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Stack gap="md">
                <Card withBorder radius="md">
                  <Title order={2} size="h5" mb="xs">
                    {t("conversation.leadTitle")}
                  </Title>
                  <Stack gap={2}>
                    {c.lead.email && <Text size="sm">{c.lead.email}</Text>}
                    {c.lead.phone && <Text size="sm">{c.lead.phone}</Text>}
                    {c.lead.preferences.locations.length > 0 && (
                      <Text size="sm" c="dimmed">
                        {c.lead.preferences.locations.join(", ")}
                      </Text>
                    )}
                    <BudgetLine
                      label={t("conversation.budget")}
                      min={c.lead.preferences.minBudget}
                      max={c.lead.preferences.maxBudget}
                      currency={c.lead.preferences.currency}
                    />
                    <BudgetLine
                      label={t("conversation.rentBudget")}
                      min={c.lead.preferences.rentMinBudget}
                      max={c.lead.preferences.rentMaxBudget}
                      currency={c.lead.preferences.currency}
                    />
                    <AssignLead leadId={c.lead.id} assignee={c.lead.assignee} onChanged={refresh} />
                    {c.nextAction && (
                      <Text size="sm" mt="xs">
                        <b>{t("conversation.nextAction")}:</b> {c.nextAction}
                      </Text>
                    )}
                  </Stack>
                </Card>
                {c.viewing && data && (
                  <ViewingPanel
                    key={`${c.viewing.id}-${c.viewing.startsAt}-${c.viewing.status}`}
                    viewing={c.viewing}
                    timeZone={data.brokerage.timezone}
                    address={placeOf(c.property)}
                    onChanged={refresh}
                  />
                )}
                {c.tasks.length > 0 && (
                  <Card withBorder radius="md">
                    <Title order={2} size="h5" mb="xs">
                      {t("conversation.handoff")}
                    </Title>
                    <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
                      {[...c.tasks]
                        .sort((a, b) => Number(b.status === "OPEN") - Number(a.status === "OPEN"))
                        .map((task) => (
                          <li key={task.id}>
                            <Group gap={6}>
                              <Badge size="xs">{t(`taskKind.${task.kind}`)}</Badge>
                              <Badge size="xs" variant="light" color={task.status === "OPEN" ? "orange" : "gray"}>
                                {t(`taskStatus.${task.status}`)}
                              </Badge>
                            </Group>
                            <Text size="sm" fw={600}>
                              {task.title}
                            </Text>
                            <Text size="xs" c="dimmed" style={{ whiteSpace: "pre-line" }}>
                              {task.summary}
                            </Text>
                            {task.status === "OPEN" && (task.kind === "QUESTION" || task.kind === "HANDOFF") && (
                              <AnswerForm taskId={task.id} leadName={c.lead.name} onAnswered={refresh} />
                            )}
                          </li>
                        ))}
                    </Stack>
                  </Card>
                )}
                <Card withBorder radius="md">
                  <QualificationBreakdown score={c.qualificationScore} signals={c.qualification} />
                </Card>
                <LeadHistory lead={c.lead} />
              </Stack>
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </PageState>
  );
}

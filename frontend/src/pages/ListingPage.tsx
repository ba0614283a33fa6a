import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useClient, useMutation, useQuery, useSubscription } from "urql";
import { TemperatureBadge, TierBadge } from "../components/badges";
import { EmptyState, PageState } from "../components/PageState";
import { ListingFacts } from "../components/ListingFacts";
import { graphql } from "../gql";
import { useCanManage } from "../lib/me";
import type { BoardQuery, CampaignProgressSubSubscription, ConversationStatus } from "../gql/graphql";
import { errorMessage } from "../lib/errors";
import { formatMoney, formatRelative } from "../lib/format";
import { useLiveRefetch } from "../lib/useLiveRefetch";
import { ApproveDrafts } from "../lib/operations";

const Board = graphql(`
  query Board($id: ID!) {
    node(id: $id) {
      ... on Property {
        ...ListingFactsFields
        campaignPaused
        stats {
          totalConversations
          responding
          waiting
          cold
          qualified
          awaitingApproval
          optedOut
        }
        matches(first: 1) {
          totalCount
        }
        conversations(first: 100) {
          totalCount
          edges {
            node {
              id
              status
              qualificationScore
              nextAction
              takenOver
              updatedAt
              lead {
                id
                name
                temperature
              }
              messages {
                id
                direction
                status
                channel
                body
              }
            }
          }
        }
      }
    }
  }
`);

const Matches = graphql(`
  query Matches($id: ID!) {
    node(id: $id) {
      ... on Property {
        id
        matches(first: 100) {
          totalCount
          edges {
            node {
              score
              tier
              breakdown {
                location
                price
                bedrooms
                recency
                quality
                gate
              }
              lead {
                id
                name
                email
                phone
                temperature
              }
            }
          }
        }
      }
    }
  }
`);

const CampaignProgressSub = graphql(`
  subscription CampaignProgressSub($propertyId: ID!, $after: ID) {
    campaignProgress(propertyId: $propertyId, after: $after) {
      eventId
      matches
      conversations
      started
      pending
      qualified
      optedOut
    }
  }
`);

const PauseCampaign = graphql(`
  mutation PauseCampaign($id: ID!, $paused: Boolean!) {
    pausePropertyCampaign(id: $id, paused: $paused) {
      id
      campaignPaused
    }
  }
`);

type BoardConversation = Extract<BoardQuery["node"], { __typename?: "Property" }>["conversations"]["edges"][number]["node"];

/**
 * The board's columns, in the order a broker works them. Open conversations split as
 * `Property.stats` counts them: responding once the lead has replied at least once, waiting
 * while they never have.
 */
export const COLUMNS = ["toApprove", "responding", "waiting", "cold", "qualified", "closed"] as const;
export type Column = (typeof COLUMNS)[number];

export function columnOf(conversation: {
  status: ConversationStatus;
  messages: { direction: "INBOUND" | "OUTBOUND" }[];
}): Column {
  switch (conversation.status) {
    case "AWAITING_APPROVAL":
      return "toApprove";
    case "QUALIFIED":
    case "HANDED_OFF":
      return "qualified";
    case "COLD":
      return "cold";
    case "CLOSED":
    case "OPTED_OUT":
      return "closed";
    default:
      return conversation.messages.some((m) => m.direction === "INBOUND") ? "responding" : "waiting";
  }
}

export function groupByColumn<T extends Parameters<typeof columnOf>[0]>(items: T[]) {
  return COLUMNS.map((key) => ({ key, items: items.filter((item) => columnOf(item) === key) }));
}

/** A conversation's drafts: one per channel (an e-mail and a text are approved each on its own). */
function draftsOf(conversation: BoardConversation) {
  return conversation.messages.filter((m) => m.direction === "OUTBOUND" && m.status === "DRAFT");
}

export function CampaignProgressCard({ propertyId }: { propertyId: string }) {
  const { t } = useTranslation();
  const [{ data }] = useSubscription<CampaignProgressSubSubscription>({
    query: CampaignProgressSub,
    // The client moves `after` to the last figures' event: a reconnection hears only what changed.
    variables: { propertyId, after: null },
  });
  const p = data?.campaignProgress;
  const started = p && p.conversations > 0 ? Math.round((p.started / p.conversations) * 100) : 0;
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="campaign-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id="campaign-title">
          {t("listing.campaignTitle")}
        </Title>
        <Badge color="green" variant="dot">
          {t("home.live")}
        </Badge>
      </Group>
      {!p ? (
        <Text size="sm" c="dimmed">
          {t("common.loading")}
        </Text>
      ) : (
        <>
          <Progress value={started} aria-label={t("listing.campaignStarted")} size="lg" mb="xs" />
          <Text size="sm">
            {t("listing.campaignLine", {
              started: p.started,
              conversations: p.conversations,
              matches: p.matches,
            })}
          </Text>
          <Text size="xs" c="dimmed">
            {/* No "waiting" here: the campaign's (the AI's turn done) counted leads who had replied,
                beside the summary's Esperando (never replied), two numbers under one word. */}
            {t("listing.campaignDetail", {
              pending: p.pending,
              qualified: p.qualified,
              optedOut: p.optedOut,
            })}
          </Text>
        </>
      )}
    </Card>
  );
}

function MatchesTable({ propertyId }: { propertyId: string }) {
  const { t } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: Matches, variables: { id: propertyId } });
  const node = data?.node.__typename === "Property" ? data.node : null;
  return (
    <PageState fetching={fetching} error={error}>
      {node &&
        (node.matches.edges.length === 0 ? (
          <EmptyState title={t("listing.noMatchesTitle")} text={t("listing.noMatches")} action={
            <Button component={Link} to="/import" variant="light">{t("onboarding.importCta")}</Button>
          } />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover>
              <Table.Caption>{t("listing.matchesCaption", { count: node.matches.totalCount })}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("listing.lead")}</Table.Th>
                  <Table.Th scope="col">{t("listing.score")}</Table.Th>
                  <Table.Th scope="col">{t("breakdown.location")}</Table.Th>
                  <Table.Th scope="col">{t("breakdown.price")}</Table.Th>
                  <Table.Th scope="col">{t("breakdown.bedrooms")}</Table.Th>
                  <Table.Th scope="col">{t("breakdown.recency")}</Table.Th>
                  <Table.Th scope="col">{t("breakdown.quality")}</Table.Th>
                  <Table.Th scope="col">{t("breakdown.gate")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {node.matches.edges.map(({ node: m }) => (
                  <Table.Tr key={m.lead.id}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {m.lead.name}
                      </Text>
                      <Group gap={4}>
                        <TemperatureBadge temperature={m.lead.temperature} />
                        <Text size="xs" c="dimmed">
                          {m.lead.email ?? m.lead.phone ?? ""}
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text fw={700}>{Math.round(m.score)}</Text>
                        <TierBadge tier={m.tier} />
                      </Group>
                    </Table.Td>
                    <Table.Td>{m.breakdown.location.toFixed(0)}</Table.Td>
                    <Table.Td>{m.breakdown.price.toFixed(0)}</Table.Td>
                    <Table.Td>{m.breakdown.bedrooms.toFixed(0)}</Table.Td>
                    <Table.Td>{m.breakdown.recency.toFixed(0)}</Table.Td>
                    <Table.Td>{m.breakdown.quality.toFixed(2)}</Table.Td>
                    <Table.Td>{m.breakdown.gate ? t(`gate.${m.breakdown.gate}`) : "—"}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ))}
    </PageState>
  );
}

function ConversationCard({
  conversation,
  selectable,
  selected,
  onSelect,
}: {
  conversation: BoardConversation;
  selectable: boolean;
  selected: boolean;
  onSelect: (checked: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const last = conversation.messages[conversation.messages.length - 1];
  return (
    <Card withBorder radius="sm" p="sm" component="li" data-testid="board-card">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        {selectable && (
          <Checkbox
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
            aria-label={t("board.select", { name: conversation.lead.name })}
            mt={2}
          />
        )}
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group justify="space-between" wrap="nowrap" gap={4}>
            <Anchor component={Link} to={`/conversations/${conversation.id}`} fw={600} size="sm" truncate>
              {conversation.lead.name}
            </Anchor>
            <TemperatureBadge temperature={conversation.lead.temperature} />
          </Group>
          {last && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {last.direction === "INBOUND" ? "← " : "→ "}
              {last.body}
            </Text>
          )}
          <Group gap={6}>
            {conversation.takenOver && (
              <Badge size="xs" color="orange">
                {t("conversation.takenOverShort")}
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {formatRelative(conversation.updatedAt, i18n.language)}
            </Text>
          </Group>
        </Stack>
      </Group>
    </Card>
  );
}

function ConversationBoard({ conversations, onChanged }: { conversations: BoardConversation[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [approving, setApproving] = useState(false);
  const columns = useMemo(() => groupByColumn(conversations), [conversations]);
  const awaiting = columns[0].items.filter((c) => draftsOf(c).length > 0);
  const chosen = awaiting.filter((c) => selected.has(c.id));
  // A conversation holds one draft per channel: the button says how many messages go out.
  const chosenDrafts = chosen.reduce((n, c) => n + draftsOf(c).length, 0);

  async function approveSelected() {
    setApproving(true);
    const ids = chosen.flatMap((c) => draftsOf(c).map((d) => d.id));
    const result = await client.mutation(ApproveDrafts, { ids }).toPromise();
    setApproving(false);
    const done = result.data?.approveMessages;
    if (!done) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
    } else if (done.refused.length) {
      // The others went out: say how many did not, and why the first one did not.
      notifications.show({
        color: "orange",
        message: t("board.someRefused", { count: done.refused.length, approved: done.conversations.length, reason: done.refused[0].message }),
      });
    } else {
      notifications.show({ color: "green", message: t("board.approved", { count: done.conversations.length }) });
    }
    setSelected(new Set());
    onChanged();
  }

  if (conversations.length === 0) {
    return <EmptyState title={t("board.emptyTitle")} text={t("board.empty")} />;
  }
  return (
    <Stack gap="sm">
      {awaiting.length > 0 && (
        <Group gap="sm">
          <Checkbox
            label={t("board.selectAll")}
            checked={chosen.length === awaiting.length}
            indeterminate={chosen.length > 0 && chosen.length < awaiting.length}
            onChange={(e) =>
              setSelected(e.currentTarget.checked ? new Set(awaiting.map((c) => c.id)) : new Set())
            }
          />
          <Button size="sm" disabled={chosen.length === 0} loading={approving} onClick={approveSelected}>
            {chosenDrafts === chosen.length
              ? t("board.approveSelected", { count: chosenDrafts })
              : t("board.approveSelectedIn", { count: chosenDrafts, conversations: chosen.length })}
          </Button>
        </Group>
      )}
      <div className="board">
        {columns.map((column) => (
          <Card key={column.key} withBorder radius="md" p="sm" bg="gray.0" component="section" aria-label={t(`board.${column.key}`)} data-column={column.key}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h6">
                {t(`board.${column.key}`)}
              </Title>
              <Badge variant="light" color="gray" data-testid={`count-${column.key}`}>
                {column.items.length}
              </Badge>
            </Group>
            <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
              {column.items.map((c) => (
                <ConversationCard
                  key={c.id}
                  conversation={c}
                  selectable={column.key === "toApprove" && draftsOf(c).length > 0}
                  selected={selected.has(c.id)}
                  onSelect={(checked) =>
                    setSelected((s) => {
                      const next = new Set(s);
                      if (checked) next.add(c.id);
                      else next.delete(c.id);
                      return next;
                    })
                  }
                />
              ))}
            </Stack>
          </Card>
        ))}
      </div>
    </Stack>
  );
}

export function ListingPage() {
  const { t, i18n } = useTranslation();
  const { id = "" } = useParams();
  const [tab, setTab] = useState<string | null>("board");
  const [{ data, fetching, error }, refetch] = useQuery({ query: Board, variables: { id } });
  const [pauseState, pause] = useMutation(PauseCampaign);
  const manager = useCanManage();
  const refresh = () => refetch({ requestPolicy: "network-only" });
  useLiveRefetch(refresh, { propertyId: id });

  const p = data?.node.__typename === "Property" ? data.node : null;
  return (
    <PageState fetching={fetching} error={error} retry={refresh}>
      {p && (
        <Stack gap="md">
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={1} size="h2">
                {p.title}
              </Title>
              <Text c="dimmed" size="sm">
                {[p.location, p.city].filter(Boolean).join(", ")} · {formatMoney(p.price, p.currency, i18n.language)}
                {p.operation === "RENT" ? ` ${t("listings.perMonth")}` : ""}
                {p.bedrooms != null ? ` · ${t("listings.bedroomsCount", { count: p.bedrooms })}` : ""}
              </Text>
            </div>
            {manager && (
            <Group gap="sm">
              <Switch
                label={t("listing.campaignOn")}
                checked={!p.campaignPaused}
                disabled={pauseState.fetching}
                onChange={async (e) => {
                  const result = await pause({ id: p.id, paused: !e.currentTarget.checked });
                  if (result.error)
                    notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
                }}
              />
              <Button component={Link} to={`/listings/${p.id}/edit`} variant="default" size="sm">
                {t("common.edit")}
              </Button>
            </Group>
            )}
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <CampaignProgressCard propertyId={p.id} />
            <Card withBorder radius="md">
              <Title order={2} size="h5" mb="xs">
                {t("listing.statsTitle")}
              </Title>
              <Group gap="xs">
                <Badge variant="light">{t("listing.matchesCount", { count: p.matches.totalCount })}</Badge>
                <Badge variant="light" color="blue">{t("board.responding")}: {p.stats.responding}</Badge>
                <Badge variant="light" color="gray">{t("board.waiting")}: {p.stats.waiting}</Badge>
                <Badge variant="light" color="cyan">{t("board.cold")}: {p.stats.cold}</Badge>
                <Badge variant="light" color="green">{t("board.qualified")}: {p.stats.qualified}</Badge>
              </Group>
            </Card>
          </SimpleGrid>
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="board">{t("listing.boardTab", { count: p.conversations.totalCount })}</Tabs.Tab>
              <Tabs.Tab value="matches">{t("listing.matchesTab", { count: p.matches.totalCount })}</Tabs.Tab>
              <Tabs.Tab value="facts">{t("listingForm.factsTab")}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="board" pt="md">
              <ConversationBoard conversations={p.conversations.edges.map((e) => e.node)} onChanged={refresh} />
            </Tabs.Panel>
            <Tabs.Panel value="matches" pt="md">
              <MatchesTable propertyId={p.id} />
            </Tabs.Panel>
            <Tabs.Panel value="facts" pt="md">
              <ListingFacts listing={p} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </PageState>
  );
}


import {
  Box,
  SegmentedControl,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { ActivityFeed } from "../components/ActivityFeed";
import { FunnelChart } from "../components/FunnelChart";
import { PageState } from "../components/PageState";
import { graphql } from "../gql";
import { useCanManage } from "../lib/me";
import type { HomeQuery, StatsWindow } from "../gql/graphql";
import { formatNumber, formatPercent, formatRelative } from "../lib/format";
import { useLiveRefetch } from "../lib/useLiveRefetch";

const HomeQuery = graphql(`
  query Home($window: StatsWindow!) {
    crmSyncStats(window: $window) {
      window
      connected
      provider
      totalLeadsImported
      lastSyncAt
      breakdown {
        hot
        warm
        cold
      }
      aiActivity {
        messagesSent
        conversationsActive
        leadsQualified
        meetingsScheduled
      }
      funnel {
        leadsContacted
        leadsReplied
        leadsQualified
        leadsWithViewing
      }
      performance {
        responseRate
        qualificationRate
        conversionRate
      }
    }
    properties(first: 1) {
      totalCount
      edges {
        node {
          id
          title
        }
      }
    }
    leads(first: 1) {
      totalCount
    }
    conversations(first: 1) {
      totalCount
    }
    brokerTasks(first: 5) {
      totalCount
      edges {
        node {
          id
          kind
          lead {
            id
            name
            phone
          }
          conversation {
            id
          }
          property {
            id
            title
          }
        }
      }
    }
  }
`);

const WINDOWS: StatsWindow[] = ["TODAY", "LAST_7_DAYS", "LAST_30_DAYS", "ALL_TIME"];

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

function Onboarding({
  hasListing,
  hasLeads,
  hasConversations,
  firstListingId,
}: {
  hasListing: boolean;
  hasLeads: boolean;
  hasConversations: boolean;
  firstListingId?: string;
}) {
  const { t } = useTranslation();
  const steps = [
    { done: hasListing, title: t("onboarding.listingTitle"), text: t("onboarding.listingText"), to: "/listings/new", cta: t("onboarding.listingCta") },
    { done: hasLeads, title: t("onboarding.importTitle"), text: t("onboarding.importText"), to: "/import", cta: t("onboarding.importCta") },
    {
      done: hasConversations,
      title: t("onboarding.conversationsTitle"),
      text: t("onboarding.conversationsText"),
      to: firstListingId ? `/listings/${firstListingId}` : "/listings",
      cta: t("onboarding.conversationsCta"),
    },
  ];
  const next = steps.findIndex((s) => !s.done);
  return (
    <Card withBorder radius="md" p="lg" component="section" aria-labelledby="onboarding-title">
      <Title order={2} size="h4" id="onboarding-title">
        {t("onboarding.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t("onboarding.lead")}
      </Text>
      <List spacing="md" listStyleType="none" p={0}>
        {steps.map((step, i) => (
          <List.Item
            key={step.title}
            icon={
              <ThemeIcon color={step.done ? "green" : i === next ? "blue" : "gray"} radius="xl" size={28}>
                <span aria-hidden="true">{step.done ? "✓" : i + 1}</span>
              </ThemeIcon>
            }
          >
            <Group justify="space-between" wrap="wrap" gap="xs">
              <div>
                <Text fw={600} td={step.done ? "line-through" : undefined}>
                  {step.title}
                  {step.done && <span className="visually-hidden"> ({t("onboarding.done")})</span>}
                </Text>
                <Text size="sm" c="dimmed">
                  {step.text}
                </Text>
              </div>
              {i === next && (
                <Button component={Link} to={step.to} size="sm">
                  {step.cta}
                </Button>
              )}
            </Group>
          </List.Item>
        ))}
      </List>
    </Card>
  );
}

type Tasks = HomeQuery["brokerTasks"];

/** Whom to call today: who, why in a word, the listing, and the number to tap. */
function CallToday({ tasks, id }: { tasks: Tasks; id: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id={id}>
          {t("home.callToday")}
        </Title>
        <Anchor component={Link} to="/today" size="sm">
          {t("home.seeAll", { count: tasks.totalCount })}
        </Anchor>
      </Group>
      {tasks.edges.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("today.empty")}
        </Text>
      ) : (
        <Stack gap="xs">
          {tasks.edges.map(({ node }) => (
            // Whom, why in a word, and how to reach them: the detail is on Today.
            <Group key={node.id} gap="xs" wrap="nowrap" align="flex-start">
              <Badge size="sm" variant="light" style={{ flexShrink: 0 }}>
                {t(`taskKind.${node.kind}`)}
              </Badge>
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/conversations/${node.conversation.id}`} size="sm" fw={600}>
                  {node.lead.name}
                </Anchor>
                {node.property && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {node.property.title}
                  </Text>
                )}
                {node.lead.phone && (
                  <Anchor href={`tel:${node.lead.phone}`} size="xs" aria-label={t("home.callLead", { name: node.lead.name, phone: node.lead.phone })}>
                    {node.lead.phone}
                  </Anchor>
                )}
              </div>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

export function HomePage() {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<StatsWindow>("LAST_7_DAYS");
  const manager = useCanManage();
  const [{ data, fetching, error }, refetch] = useQuery({ query: HomeQuery, variables: { window: period } });
  useLiveRefetch(() => refetch({ requestPolicy: "network-only" }), { everyMs: 2000 });
  const lang = i18n.language;

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t("home.title")}
      </Title>
      <PageState fetching={fetching} error={error} retry={() => refetch({ requestPolicy: "network-only" })}>
        {data &&
          (() => {
            const s = data.crmSyncStats;
            const leads = data.leads.totalCount;
            const onboardingDone =
              data.properties.totalCount > 0 && leads > 0 && data.conversations.totalCount > 0;
            return (
              <>
                {!onboardingDone && manager && (
                  <Onboarding
                    hasListing={data.properties.totalCount > 0}
                    hasLeads={leads > 0}
                    hasConversations={data.conversations.totalCount > 0}
                    firstListingId={data.properties.edges[0]?.node.id}
                  />
                )}
                <Grid>
                  <Grid.Col span={{ base: 12, md: 7 }}>
                    <Stack gap="md">
                      {/* On a phone whom to call comes first, not under three cards of figures. */}
                      <Box hiddenFrom="md">
                        <CallToday tasks={data.brokerTasks} id="call-title-phone" />
                      </Box>
                      <Card withBorder radius="md" component="section" aria-labelledby="crm-title">
                        <Group justify="space-between" mb="xs">
                          <Title order={2} size="h5" id="crm-title">
                            {t("home.crmTitle")}
                          </Title>
                          <Badge color={s.connected ? "green" : "gray"} variant="light">
                            {s.connected ? t(`crm.${s.provider ?? "FOLLOWUPBOSS"}`) : t("home.crmNotConnected")}
                          </Badge>
                        </Group>
                        <Text size="sm">
                          {t("home.leadsTotal", { count: leads })}
                          {s.connected && ` · ${t("home.leadsImported", { count: s.totalLeadsImported })}`}
                          {s.lastSyncAt &&
                            ` · ${t(s.connected ? "home.lastSync" : "home.lastImport", { when: formatRelative(s.lastSyncAt, lang) })}`}
                        </Text>
                        <SimpleGrid cols={3} mt="sm">
                          <Stat
                            label={t("temperature.HOT")}
                            value={formatNumber(s.breakdown.hot, lang)}
                            hint={t("temperatureHint.HOT")}
                          />
                          <Stat
                            label={t("temperature.WARM")}
                            value={formatNumber(s.breakdown.warm, lang)}
                            hint={t("temperatureHint.WARM")}
                          />
                          <Stat
                            label={t("temperature.COLD")}
                            value={formatNumber(s.breakdown.cold, lang)}
                            hint={t("temperatureHint.COLD")}
                          />
                        </SimpleGrid>
                        <Group mt="sm" gap="sm">
                          {manager && (
                            <>
                              <Anchor component={Link} to="/import" size="sm">
                                {t("home.importCsv")}
                              </Anchor>
                              <Anchor component={Link} to="/settings#crm" size="sm">
                                {s.connected ? t("home.manageCrm") : t("home.connectCrm")}
                              </Anchor>
                            </>
                          )}
                        </Group>
                      </Card>
                      <Card withBorder radius="md" component="section" aria-labelledby="ai-title">
                        <Group justify="space-between" mb="xs" gap="xs">
                          <Title order={2} size="h5" id="ai-title">
                            {t("home.aiTitle", { window: t(`statsWindow.${s.window}`) })}
                          </Title>
                          <SegmentedControl
                            size="xs"
                            aria-label={t("home.window")}
                            value={period}
                            onChange={(v) => setPeriod(v as StatsWindow)}
                            data={WINDOWS.map((w) => ({ value: w, label: t(`statsWindowShort.${w}`) }))}
                          />
                        </Group>
                        <SimpleGrid cols={{ base: 2, sm: 4 }}>
                          {/* Each figure says what it counts: a bare "Activas: 5" left brokers guessing. */}
                          <Stat
                            label={t("home.messagesSent")}
                            value={formatNumber(s.aiActivity.messagesSent, lang)}
                            hint={t("home.messagesSentHint")}
                          />
                          <Stat
                            label={t("home.active")}
                            value={formatNumber(s.aiActivity.conversationsActive, lang)}
                            hint={t("home.activeHint")}
                          />
                          <Stat
                            label={t("home.qualified")}
                            value={formatNumber(s.aiActivity.leadsQualified, lang)}
                            hint={t("home.qualifiedHint")}
                          />
                          <Stat
                            label={t("home.meetings")}
                            value={formatNumber(s.aiActivity.meetingsScheduled, lang)}
                            hint={t("home.meetingsHint")}
                          />
                        </SimpleGrid>
                        <Text size="sm" c="dimmed" mt="sm">
                          {s.funnel.leadsContacted === 0
                            ? t("home.performanceNone")
                            : t("home.performance", {
                                count: s.funnel.leadsContacted,
                                response: formatPercent(s.performance.responseRate, lang),
                                qualification: formatPercent(s.performance.qualificationRate, lang),
                                conversion: formatPercent(s.performance.conversionRate, lang),
                              })}
                        </Text>
                      </Card>
                      <Card withBorder radius="md" component="section" aria-labelledby="funnel-title">
                        {/* The window's cohort (every step a subset of the first), the one the rates
                            above divide: all-time leads beside this week's viewings matched nothing. */}
                        <Title order={2} size="h5" id="funnel-title">
                          {t("home.funnelTitle", { window: t(`statsWindow.${s.window}`) })}
                        </Title>
                        <Text size="xs" c="dimmed" mb="xs">
                          {t("home.funnelHint")}
                        </Text>
                        <FunnelChart
                          title={t("home.funnelTitle", { window: t(`statsWindow.${s.window}`) })}
                          steps={[
                            { label: t("home.funnelContacted"), value: s.funnel.leadsContacted },
                            { label: t("home.funnelReplied"), value: s.funnel.leadsReplied },
                            { label: t("home.funnelQualified"), value: s.funnel.leadsQualified },
                            { label: t("home.funnelViewings"), value: s.funnel.leadsWithViewing },
                          ]}
                        />
                      </Card>
                    </Stack>
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, md: 5 }}>
                    <Stack gap="md">
                      <Box visibleFrom="md">
                        <CallToday tasks={data.brokerTasks} id="call-title" />
                      </Box>
                      <ActivityFeed />
                    </Stack>
                  </Grid.Col>
                </Grid>
              </>
            );
          })()}
      </PageState>
    </Stack>
  );
}

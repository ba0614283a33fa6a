import { Anchor, Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMemo } from "react";
import { useQuery, useSubscription } from "urql";
import { graphql } from "../gql";
import type { ActivityFeedSubscription, FeedEventFragment } from "../gql/graphql";
import { formatRelative } from "../lib/format";

const ActivityFeedSub = graphql(`
  subscription ActivityFeed($propertyId: ID, $after: ID) {
    agentActivity(propertyId: $propertyId, after: $after) {
      ...FeedEvent
    }
  }
`);

const RecentActivity = graphql(`
  query RecentActivity($propertyId: ID) {
    activity(first: 15, propertyId: $propertyId) {
      edges {
        node {
          ...FeedEvent
        }
      }
    }
  }
  fragment FeedEvent on ActivityEvent {
    id
    type
    at
    conversation {
      id
    }
    lead {
      id
      name
    }
    property {
      id
      title
    }
    message {
      id
      body
    }
    syncRun {
      provider
      imported
      updated
      error
    }
  }
`);

export type ActivityEventItem = FeedEventFragment;
const KEEP = 30;

/** Newest first, each event once (a replay after a reconnection may repeat the last one). */
export function mergeEvents(incoming: ActivityEventItem[], previous: ActivityEventItem[], keep = KEEP) {
  const seen = new Set<string>();
  const merged: ActivityEventItem[] = [];
  for (const event of [...incoming, ...previous]) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    merged.push(event);
  }
  return merged.slice(0, keep);
}

/** A CRM sync's line: the CRM, then what the pass brought in (or why it stopped). */
export function syncLine(type: string, run: NonNullable<ActivityEventItem["syncRun"]>, t: TFunction) {
  const provider = t(`crm.${run.provider}`);
  if (run.error) return t("activity.syncFailed", { provider, error: run.error });
  if (type === "CRM_SYNC_STARTED") return t("activity.syncStarted", { provider });
  return t("activity.syncFinished", { provider, imported: run.imported, updated: run.updated });
}

/**
 * What the AI is doing, newest first: the latest events, then each one as it happens. The
 * subscription starts after the newest event shown, and resumes after the last one received
 * when the connection drops (lib/client.ts), so nothing in between is lost.
 */
export function ActivityFeed({ propertyId }: { propertyId?: string }) {
  const { t, i18n } = useTranslation();
  const [history] = useQuery({ query: RecentActivity, variables: { propertyId: propertyId ?? null }, requestPolicy: "network-only" });
  const recent = useMemo(() => history.data?.activity.edges.map((e) => e.node) ?? [], [history.data]);
  const [{ data: live = [] }] = useSubscription(
    {
      query: ActivityFeedSub,
      variables: { propertyId: propertyId ?? null, after: recent[0]?.id ?? null },
      pause: !history.data && !history.error,
    },
    (previous: ActivityEventItem[] = [], data: ActivityFeedSubscription) => mergeEvents([data.agentActivity], previous),
  );
  const events = mergeEvents(live, recent);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="feed-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5" id="feed-title">
          {t("home.feedTitle")}
        </Title>
        <Badge color="green" variant="dot">
          {t("home.live")}
        </Badge>
      </Group>
      {events.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("home.feedEmpty")}
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-live="polite">
          {events.map((event) => (
            <Group
              key={event.id}
              component="li"
              gap="xs"
              wrap="nowrap"
              align="flex-start"
            >
              <Badge size="sm" variant="light" style={{ flexShrink: 0 }}>
                {t(`activity.${event.type}`)}
              </Badge>
              <Text size="sm" style={{ minWidth: 0 }} lineClamp={2}>
                {event.syncRun ? syncLine(event.type, event.syncRun, t) : null}
                {event.conversation ? (
                  <Anchor component={Link} to={`/conversations/${event.conversation.id}`}>
                    {event.lead?.name ?? t("common.lead")}
                  </Anchor>
                ) : (
                  (event.lead?.name ?? "")
                )}
                {event.property ? ` · ${event.property.title}` : ""}
                <Text span c="dimmed" size="xs">
                  {" "}
                  {formatRelative(event.at, i18n.language)}
                </Text>
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

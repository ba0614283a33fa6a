import { Anchor, Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useSubscription } from "urql";
import { graphql } from "../gql";
import type { ActivityFeedSubscription } from "../gql/graphql";
import { formatRelative } from "../lib/format";

const ActivityFeedSub = graphql(`
  subscription ActivityFeed($propertyId: ID) {
    agentActivity(propertyId: $propertyId) {
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
    }
  }
`);

export type ActivityEventItem = ActivityFeedSubscription["agentActivity"];
const KEEP = 30;

/** What the AI is doing, newest first, as it happens (nothing before this page was opened). */
export function ActivityFeed({ propertyId }: { propertyId?: string }) {
  const { t, i18n } = useTranslation();
  const [{ data: events = [] }] = useSubscription(
    { query: ActivityFeedSub, variables: { propertyId: propertyId ?? null } },
    (previous: ActivityEventItem[] = [], data: ActivityFeedSubscription) =>
      [data.agentActivity, ...previous].slice(0, KEEP),
  );
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
          {events.map((event, index) => (
            <Group
              key={`${event.at}-${event.type}-${event.conversation?.id ?? ""}-${index}`}
              component="li"
              gap="xs"
              wrap="nowrap"
              align="flex-start"
            >
              <Badge size="sm" variant="light" style={{ flexShrink: 0 }}>
                {t(`activity.${event.type}`)}
              </Badge>
              <Text size="sm" style={{ minWidth: 0 }} lineClamp={2}>
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

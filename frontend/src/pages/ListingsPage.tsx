import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { EmptyState, PageState } from "../components/PageState";
import { graphql } from "../gql";
import { useCanManage } from "../lib/me";
import { formatMoney } from "../lib/format";

const ListingsQuery = graphql(`
  query Listings {
    properties(first: 100) {
      totalCount
      edges {
        node {
          id
          title
          location
          city
          price
          currency
          bedrooms
          operation
          active
          campaignPaused
          stats {
            totalConversations
            responding
            waiting
            qualified
            awaitingApproval
          }
        }
      }
    }
  }
`);

export function ListingsPage() {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ListingsQuery });
  const manager = useCanManage();
  const listings = data?.properties.edges.map((e) => e.node) ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t("listings.title")}
        </Title>
        {manager && (
          <Button component={Link} to="/listings/new">
            {t("listings.new")}
          </Button>
        )}
      </Group>
      <PageState fetching={fetching} error={error} retry={() => refetch({ requestPolicy: "network-only" })}>
        {data &&
          (listings.length === 0 ? (
            <EmptyState
              title={t("listings.emptyTitle")}
              text={t("listings.empty")}
              action={
                manager && (
                  <Button component={Link} to="/listings/new">
                    {t("onboarding.listingCta")}
                  </Button>
                )
              }
            />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              {listings.map((p) => (
                <Card key={p.id} withBorder radius="md" component={Link} to={`/listings/${p.id}`}>
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Text fw={600} lineClamp={2}>
                      {p.title}
                    </Text>
                    {p.campaignPaused && (
                      <Badge color="orange" variant="light">
                        {t("listings.paused")}
                      </Badge>
                    )}
                  </Group>
                  <Text size="sm" c="dimmed">
                    {[p.location, p.city].filter(Boolean).join(", ")}
                  </Text>
                  <Text size="sm" mt={4}>
                    {formatMoney(p.price, p.currency, i18n.language)}
                    {p.operation === "RENT" ? ` ${t("listings.perMonth")}` : ""}
                    {p.bedrooms != null ? ` · ${t("listings.bedroomsCount", { count: p.bedrooms })}` : ""}
                  </Text>
                  <Group gap="xs" mt="sm">
                    <Badge variant="light">{t("listings.conversationsCount", { count: p.stats.totalConversations })}</Badge>
                    {p.stats.awaitingApproval > 0 && (
                      <Badge color="grape" variant="light">
                        {t("listings.toApprove", { count: p.stats.awaitingApproval })}
                      </Badge>
                    )}
                    {p.stats.qualified > 0 && (
                      <Badge color="green" variant="light">
                        {t("listings.qualifiedCount", { count: p.stats.qualified })}
                      </Badge>
                    )}
                  </Group>
                </Card>
              ))}
            </SimpleGrid>
          ))}
      </PageState>
    </Stack>
  );
}

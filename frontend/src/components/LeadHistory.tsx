import { Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { graphql } from "../gql";
import type { LeadHistoryFragment } from "../gql/graphql";
import { formatRelative } from "../lib/format";

/** What the card reads of a lead (spread it in the query that loads the lead). */
export const LeadHistoryFields = graphql(`
  fragment LeadHistory on Lead {
    history(first: 6) {
      totalCount
      edges {
        node {
          at
          source
          field
          before
          after
          conflict {
            crmValue
            localValue
            kept
          }
        }
      }
    }
  }
`);

type Change = LeadHistoryFragment["history"]["edges"][number]["node"];

/** Where a change came from, in the broker's words (a CRM by its name). */
export function sourceLabel(source: string, t: TFunction) {
  return t([`crm.${source}`, `changeSource.${source}`], { defaultValue: source });
}

/** "Nombre: Ana → Ana María", or, for a conflict, which side's value the lead kept. */
export function changeLine(change: Change, t: TFunction) {
  const field = t(`leadColumn.${change.field}`, { defaultValue: change.field });
  const empty = t("history.empty");
  if (change.conflict) {
    const { crmValue, localValue, kept } = change.conflict;
    return t(kept === "CRM" ? "history.keptCrm" : "history.keptOurs", {
      field,
      crm: crmValue ?? empty,
      ours: localValue ?? empty,
    });
  }
  return `${field}: ${change.before ?? empty} → ${change.after ?? empty}`;
}

/**
 * What changed on the lead and who changed it (an import, a CRM, the broker, the AI), newest
 * first; a field changed both here and in the CRM says which value it kept and the other one.
 */
export function LeadHistory({ lead }: { lead: LeadHistoryFragment }) {
  const { t, i18n } = useTranslation();
  const changes = lead.history.edges.map((e) => e.node);
  if (changes.length === 0) return null;
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="history-title">
      <Title order={2} size="h5" mb="xs" id="history-title">
        {t("history.title")}
      </Title>
      <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: "none" }}>
        {changes.map((change, i) => (
          <li key={`${change.at}-${change.field}-${i}`}>
            <Group gap={6}>
              <Badge size="xs" variant="light" color={change.conflict ? "orange" : "gray"}>
                {change.conflict ? t("history.conflict") : sourceLabel(change.source, t)}
              </Badge>
              <Text size="xs" c="dimmed">
                {change.conflict ? `${sourceLabel(change.source, t)} · ` : ""}
                {formatRelative(change.at, i18n.language)}
              </Text>
            </Group>
            <Text size="sm" style={{ overflowWrap: "anywhere" }}>
              {changeLine(change, t)}
            </Text>
          </li>
        ))}
      </Stack>
      {lead.history.totalCount > changes.length && (
        <Text size="xs" c="dimmed" mt="xs">
          {t("history.more", { count: lead.history.totalCount - changes.length })}
        </Text>
      )}
    </Card>
  );
}

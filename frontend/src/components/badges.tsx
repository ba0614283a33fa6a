import { Badge, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ConversationStatus, Intent, MatchTier, Temperature } from "../gql/graphql";

const STATUS_COLOR: Record<ConversationStatus, string> = {
  AWAITING_APPROVAL: "grape",
  WAITING: "gray",
  RESPONDING: "blue",
  QUALIFIED: "green",
  HANDED_OFF: "teal",
  COLD: "cyan",
  CLOSED: "dark",
  OPTED_OUT: "red",
};

export function StatusBadge({ status }: { status: ConversationStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {t(`status.${status}`)}
    </Badge>
  );
}

export function IntentBadge({ intent }: { intent: Intent }) {
  const { t } = useTranslation();
  const color = intent === "OPT_OUT" || intent === "NOT_INTERESTED" ? "red" : "violet";
  return (
    <Badge color={color} variant="outline" size="sm">
      {t(`intent.${intent}`)}
    </Badge>
  );
}

const TEMP_COLOR: Record<Temperature, string> = { HOT: "red", WARM: "orange", COLD: "blue" };

export function TemperatureBadge({ temperature }: { temperature: Temperature }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t(`temperatureHint.${temperature}`)} withArrow>
      <Badge color={TEMP_COLOR[temperature]} variant="light" size="sm">
        {t(`temperature.${temperature}`)}
      </Badge>
    </Tooltip>
  );
}

const TIER_COLOR: Record<MatchTier, string> = { HOT: "red", MEDIUM: "orange", LOW: "gray" };

export function TierBadge({ tier }: { tier: MatchTier }) {
  const { t } = useTranslation();
  return (
    <Badge color={TIER_COLOR[tier]} variant="filled" size="sm">
      {t(`tier.${tier}`)}
    </Badge>
  );
}

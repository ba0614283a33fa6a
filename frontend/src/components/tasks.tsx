import { Badge, Button, Group, List, Paper, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql } from "../gql";
import type { ViewingStatus } from "../gql/graphql";
import { errorMessage } from "../lib/errors";
import { formatDateTime, toZonedInput } from "../lib/format";

/** What Today and the conversation view show for one task, its viewing and its qualification. */

export const AnswerTask = graphql(`
  mutation AnswerTask($id: ID!, $answer: String!) {
    answerBrokerTask(id: $id, answer: $answer) {
      id
      status
      closedAt
    }
  }
`);

export const CancelViewing = graphql(`
  mutation CancelViewing($id: ID!) {
    cancelViewing(id: $id) {
      id
      status
    }
  }
`);

export const RescheduleViewing = graphql(`
  mutation RescheduleViewing($id: ID!, $startsAt: DateTime!) {
    rescheduleViewing(id: $id, startsAt: $startsAt) {
      id
      status
      startsAt
      endsAt
    }
  }
`);

/** Tasks whose answer can go straight to the lead (the API's `answerBrokerTask`). */
export const ANSWERABLE_KINDS = ["QUESTION", "HANDOFF"] as const;

const VIEWING_COLOR: Record<ViewingStatus, string> = {
  PROPOSED: "yellow",
  CONFIRMED: "green",
  CANCELLED: "gray",
  DONE: "blue",
};

/** The broker writes the answer; it reaches the lead on the channel they last wrote from. */
export function AnswerForm({
  taskId,
  leadName,
  onAnswered,
}: {
  taskId: string;
  leadName: string;
  onAnswered: () => void;
}) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState("");
  const [state, send] = useMutation(AnswerTask);

  async function submit(event: { preventDefault(): void }) {
    event.preventDefault();
    if (!answer.trim()) return;
    const result = await send({ id: taskId, answer: answer.trim() });
    if (result.error) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
      return;
    }
    notifications.show({ color: "green", message: t("tasks.answerSent", { name: leadName }) });
    setAnswer("");
    onAnswered();
  }

  return (
    <Stack gap="xs" component="form" onSubmit={submit}>
      <Textarea
        label={t("tasks.answerLabel", { name: leadName })}
        description={t("tasks.answerHint")}
        autosize
        minRows={2}
        value={answer}
        onChange={(e) => setAnswer(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) void submit(e);
        }}
      />
      <Group>
        <Button type="submit" size="xs" disabled={!answer.trim()} loading={state.fetching}>
          {t("tasks.sendAnswer")}
        </Button>
      </Group>
    </Stack>
  );
}

export interface ViewingFacts {
  id: string;
  status: ViewingStatus;
  startsAt: string;
  endsAt: string;
}

/** The viewing, in the brokerage's time zone, with its place; cancel or move it. */
export function ViewingPanel({
  viewing,
  timeZone,
  address,
  onChanged,
}: {
  viewing: ViewingFacts;
  timeZone: string;
  address: string;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [moving, setMoving] = useState(false);
  const [when, setWhen] = useState(() => toZonedInput(viewing.startsAt, timeZone));
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [cancelState, cancel] = useMutation(CancelViewing);
  const [moveState, move] = useMutation(RescheduleViewing);
  const active = viewing.status === "PROPOSED" || viewing.status === "CONFIRMED";

  async function doCancel() {
    const result = await cancel({ id: viewing.id });
    setConfirmingCancel(false);
    if (result.error) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
      return;
    }
    notifications.show({ color: "gray", message: t("tasks.viewingCancelled") });
    onChanged();
  }

  async function doMove(event: FormEvent) {
    event.preventDefault();
    if (!when) return;
    // No offset: the API reads it as the brokerage's local time, the zone shown here.
    const result = await move({ id: viewing.id, startsAt: `${when}:00` });
    if (result.error) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
      return;
    }
    notifications.show({ color: "green", message: t("tasks.viewingMoved") });
    setMoving(false);
    onChanged();
  }

  return (
    <Paper withBorder radius="sm" p="sm" bg="gray.0" aria-label={t("tasks.viewing")} role="group">
      <Stack gap={6}>
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {t("tasks.viewing")}
          </Text>
          <Badge size="sm" variant="light" color={VIEWING_COLOR[viewing.status]}>
            {t(`viewingStatus.${viewing.status}`)}
          </Badge>
        </Group>
        <Text size="sm" data-testid="viewing-time">
          {formatDateTime(viewing.startsAt, i18n.language, timeZone)}{" "}
          <Text span size="xs" c="dimmed">
            ({timeZone})
          </Text>
        </Text>
        {address && (
          <Text size="sm" c="dimmed">
            {address}
          </Text>
        )}
        {active && !moving && !confirmingCancel && (
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => setMoving(true)}>
              {t("tasks.reschedule")}
            </Button>
            <Button size="xs" variant="subtle" color="red" onClick={() => setConfirmingCancel(true)}>
              {t("tasks.cancelViewing")}
            </Button>
          </Group>
        )}
        {confirmingCancel && (
          <Group gap="xs" role="alertdialog" aria-label={t("tasks.cancelConfirm")}>
            <Text size="sm">{t("tasks.cancelConfirm")}</Text>
            <Button size="xs" color="red" loading={cancelState.fetching} onClick={doCancel}>
              {t("tasks.cancelYes")}
            </Button>
            <Button size="xs" variant="default" onClick={() => setConfirmingCancel(false)}>
              {t("tasks.keep")}
            </Button>
          </Group>
        )}
        {moving && (
          <Group gap="xs" align="flex-end" component="form" onSubmit={doMove}>
            <TextInput
              type="datetime-local"
              size="xs"
              label={t("tasks.newTime", { zone: timeZone })}
              value={when}
              onChange={(e) => setWhen(e.currentTarget.value)}
              required
            />
            <Button type="submit" size="xs" loading={moveState.fetching}>
              {t("tasks.moveViewing")}
            </Button>
            <Button size="xs" variant="default" onClick={() => setMoving(false)}>
              {t("common.cancel")}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** Why the lead's score is what it is: each signal with its points. */
export function QualificationBreakdown({
  score,
  signals,
}: {
  score: number;
  signals: { signal: string; points: number }[];
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={4} role="group" aria-label={t("tasks.qualification")}>
      <Text size="sm" fw={600}>
        {t("conversation.score", { score })}
      </Text>
      {signals.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t("tasks.noSignals")}
        </Text>
      ) : (
        <List size="sm" spacing={2}>
          {signals.map((s) => (
            <List.Item key={s.signal}>
              {t(`signal.${s.signal}`, { defaultValue: s.signal })}:{" "}
              <b>
                {s.points > 0 ? "+" : ""}
                {s.points}
              </b>
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

/** "Street 1, Polanco, CDMX": the listing's address, or its area when it has none. */
export function placeOf(property: { address?: string | null; location: string; city: string } | null | undefined) {
  if (!property) return "";
  if (property.address) return property.address;
  return [property.location, property.city].filter(Boolean).join(", ");
}

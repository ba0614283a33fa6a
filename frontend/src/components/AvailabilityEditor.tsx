import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Weekday } from "../gql/graphql";

export interface Window {
  weekday: Weekday;
  startTime: string;
  endTime: string;
}

export const WEEKDAYS: Weekday[] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

/** The windows as the API wants them: whole, in week order, without "__typename". */
export function cleanWindows(windows: Window[]): Window[] {
  return windows
    .map(({ weekday, startTime, endTime }) => ({ weekday, startTime: startTime.slice(0, 5), endTime: endTime.slice(0, 5) }))
    .sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || a.startTime.localeCompare(b.startTime));
}

/** The index of each window that ends before it starts or overlaps another the same day. */
export function invalidWindows(windows: Window[]): Set<number> {
  const bad = new Set<number>();
  windows.forEach((w, i) => {
    if (!/^\d{2}:\d{2}/.test(w.startTime) || !/^\d{2}:\d{2}/.test(w.endTime) || w.startTime >= w.endTime) bad.add(i);
    windows.forEach((o, j) => {
      if (i !== j && o.weekday === w.weekday && w.startTime < o.endTime && o.startTime < w.endTime) bad.add(i);
    });
  });
  return bad;
}

/**
 * When viewings may be offered, in the brokerage's time zone: one row per window. Empty means the
 * API's default hours (Monday to Friday 10-18, Saturday 10-14).
 */
export function AvailabilityEditor({
  value,
  onChange,
  timeZone,
}: {
  value: Window[];
  onChange: (windows: Window[]) => void;
  timeZone: string;
}) {
  const { t } = useTranslation();
  const bad = invalidWindows(value);
  const update = (i: number, patch: Partial<Window>) => onChange(value.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  const days = WEEKDAYS.map((d) => ({ value: d, label: t(`weekday.${d}`) }));
  return (
    <Stack gap="xs" role="group" aria-labelledby="availability-title">
      <Text fw={600} size="sm" id="availability-title">
        {t("settings.availability")}
      </Text>
      <Text size="xs" c="dimmed">
        {value.length === 0 ? t("settings.availabilityDefault") : t("settings.availabilityHint", { zone: timeZone })}
      </Text>
      {value.map((w, i) => {
        const n = i + 1;
        return (
          <Group key={i} gap="xs" align="flex-end" wrap="wrap" data-testid="availability-window">
            <Select
              size="xs"
              w={150}
              label={t("settings.windowDay", { n })}
              data={days}
              allowDeselect={false}
              value={w.weekday}
              onChange={(v) => v && update(i, { weekday: v as Weekday })}
            />
            <TextInput
              size="xs"
              type="time"
              label={t("settings.windowFrom", { n })}
              value={w.startTime}
              onChange={(e) => update(i, { startTime: e.currentTarget.value })}
              error={bad.has(i) ? true : undefined}
            />
            <TextInput
              size="xs"
              type="time"
              label={t("settings.windowTo", { n })}
              value={w.endTime}
              onChange={(e) => update(i, { endTime: e.currentTarget.value })}
              error={bad.has(i) ? true : undefined}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              aria-label={t("settings.windowRemove", { n })}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            >
              <span aria-hidden="true">×</span>
            </ActionIcon>
          </Group>
        );
      })}
      {bad.size > 0 && (
        <Text size="xs" c="red.8" role="alert">
          {t("settings.windowInvalid")}
        </Text>
      )}
      <Group>
        <Button
          size="xs"
          variant="default"
          onClick={() => {
            const last = value[value.length - 1];
            const next = last ? WEEKDAYS[(WEEKDAYS.indexOf(last.weekday) + 1) % 7] : "MONDAY";
            onChange([...value, { weekday: next, startTime: last?.startTime ?? "10:00", endTime: last?.endTime ?? "18:00" }]);
          }}
        >
          {t("settings.windowAdd")}
        </Button>
        {value.length > 0 && (
          <Button size="xs" variant="subtle" color="gray" onClick={() => onChange([])}>
            {t("settings.windowReset")}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

import type { TFunction } from "i18next";

/** Numbers, money and dates in the interface's language. */
export function locale(language: string): string {
  return language === "en" ? "en-US" : "es-MX";
}

export function formatMoney(amount: number | null | undefined, currency: string, language: string) {
  if (amount == null) return "—";
  try {
    return new Intl.NumberFormat(locale(language), {
      style: "currency",
      currency,
      maximumFractionDigits: 0,
    }).format(amount);
  } catch {
    return `${amount.toLocaleString(locale(language))} ${currency}`;
  }
}

export function formatNumber(value: number, language: string) {
  return value.toLocaleString(locale(language));
}

export function formatPercent(ratio: number, language: string) {
  return new Intl.NumberFormat(locale(language), { style: "percent", maximumFractionDigits: 0 }).format(
    ratio,
  );
}

/** A moment in the interface's language; in `timeZone` (the brokerage's) when given. */
export function formatDateTime(iso: string | null | undefined, language: string, timeZone?: string) {
  if (!iso) return "—";
  const options: Intl.DateTimeFormatOptions = { dateStyle: "full", timeStyle: "short" };
  if (!timeZone) options.dateStyle = "medium";
  try {
    return new Intl.DateTimeFormat(locale(language), { ...options, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(locale(language), { dateStyle: "medium", timeStyle: "short" }).format(
      new Date(iso),
    );
  }
}

/**
 * The wall-clock time of `iso` in `timeZone` as a datetime-local input's value ("2026-12-12T11:00"):
 * what the broker edits to reschedule, sent back without an offset (the brokerage's local time).
 */
export function toZonedInput(iso: string, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(new Date(iso));
  } catch {
    return iso.slice(0, 16);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

/** "5 min ago" style, for feeds and last-sync times. */
export function formatRelative(iso: string | null | undefined, language: string, now = Date.now()) {
  if (!iso) return "—";
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(language), { numeric: "auto" });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, "second");
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), "hour");
  return rtf.format(Math.round(seconds / 86400), "day");
}

/** "hasta 5,000,000", "desde …", or a range: an amount with one end read "… – 5,000,000". */
export function rangeText(
  min: number | null | undefined,
  max: number | null | undefined,
  say: (value: number) => string,
  t: TFunction,
): string {
  if (min != null && max != null) return min === max ? say(min) : `${say(min)} – ${say(max)}`;
  if (max != null) return t("conversation.budgetUpTo", { amount: say(max) });
  if (min != null) return t("conversation.budgetFrom", { amount: say(min) });
  return "";
}

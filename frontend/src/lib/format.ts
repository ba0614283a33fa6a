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

export function formatDateTime(iso: string | null | undefined, language: string) {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale(language), { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
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

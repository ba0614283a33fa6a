import type { TFunction } from "i18next";

/**
 * The API words an import's problems in English (`LeadImportError.message`, a file it cannot
 * read), from a fixed set of sentences with the cell's value inside. A broker reading the
 * dashboard in Spanish gets them in Spanish: each known sentence is read back into its parts
 * and said again in the UI's language. A sentence not known here (a newer server) is shown as
 * the API wrote it rather than not at all.
 */
const PATTERNS: { key: string; pattern: RegExp; parts: string[] }[] = [
  { key: "email", pattern: /^Email "(.*)" is not a valid email address$/s, parts: ["value"] },
  {
    key: "phone",
    pattern: /^Phone "(.*)" is not a valid phone number for region (\S+)$/s,
    parts: ["value", "region"],
  },
  {
    key: "date",
    pattern: /^Date "(.*)" is not a date we can read \(expected (dd\/mm\/yyyy|mm\/dd\/yyyy)\)$/s,
    parts: ["value", "order"],
  },
  { key: "futureDate", pattern: /^Date "(.*)" is in the future; not used as the last contact$/s, parts: ["value"] },
  { key: "budget", pattern: /^Budget "(.*)" is not an amount of money$/s, parts: ["value"] },
  { key: "budgetTooLarge", pattern: /^Budget "(.*)" is too large to be a budget$/s, parts: ["value"] },
  { key: "bedrooms", pattern: /^Bedrooms "(.*)" is not a number of bedrooms$/s, parts: ["value"] },
  {
    key: "currency",
    pattern: /^Currency "(.*)" is not one we know \(use a code like MXN or USD\)$/s,
    parts: ["value"],
  },
  { key: "noContact", pattern: /^Row skipped: it has no email or phone number$/, parts: [] },
  { key: "noValidContact", pattern: /^Row skipped: it has no valid email or phone number$/, parts: [] },
  {
    key: "erased",
    pattern: /^Row skipped: this person's lead was erased and they must not be contacted again$/,
    parts: [],
  },
  {
    key: "extraCells",
    pattern:
      /^Line has (\d+) cells but the header has (\d+): (.*?)(?: and (\d+) more)? not imported \(a comma inside a value without quotes\?\)$/s,
    parts: ["cells", "header", "values", "more"],
  },
  { key: "emptyFile", pattern: /^The file is empty$/, parts: [] },
  { key: "binaryFile", pattern: /^This file is not a CSV table \(it looks like a binary file\)$/, parts: [] },
  { key: "noHeader", pattern: /^We could not find a header row: /, parts: [] },
];

/** `message` from the API in the UI's language, when it is one of the import's sentences. */
export function importMessage(message: string, t: TFunction): string {
  for (const { key, pattern, parts } of PATTERNS) {
    const found = pattern.exec(message);
    if (!found) continue;
    const values: Record<string, string> = {};
    parts.forEach((part, i) => {
      values[part] = found[i + 1] ?? "";
    });
    if (values.order) values.order = t(`importError.order.${values.order === "dd/mm/yyyy" ? "dayFirst" : "monthFirst"}`);
    if (values.region === "unknown") values.region = t("importError.unknownRegion");
    if (key === "extraCells" && values.more) {
      return t("importError.extraCellsMore", values);
    }
    return t(`importError.${key}`, values);
  }
  return message;
}

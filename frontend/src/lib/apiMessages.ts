import type { TFunction } from "i18next";
import { importMessage } from "./importMessages";

/**
 * The API words its errors in English. The ones a broker meets in the dashboard's forms (signing
 * up and in, their profile and the brokerage's settings, too many attempts) are said again in
 * the UI's language; so are an import's. Anything else is shown as the API wrote it.
 */
const PATTERNS: { key: string; pattern: RegExp; parts: string[] }[] = [
  { key: "passwordShort", pattern: /^The password needs at least (\d+) characters\.$/, parts: ["count"] },
  { key: "passwordLong", pattern: /^The password has at most (\d+) characters\.$/, parts: ["count"] },
  { key: "email", pattern: /^'(.*)' is not a valid email address: /s, parts: ["value"] },
  { key: "namesRequired", pattern: /^A name and a brokerage name are required\.$/, parts: [] },
  { key: "wrongLogin", pattern: /^Wrong email or password\.$/, parts: [] },
  { key: "wrongPassword", pattern: /^The current password is wrong\.$/, parts: [] },
  { key: "tooManyAttempts", pattern: /^Too many attempts: wait (\d+) minutes and try again\.$/, parts: ["count"] },
  { key: "tooManyRequests", pattern: /^Too many requests: slow down and retry in a minute\.$/, parts: [] },
  { key: "phone", pattern: /^'(.*)' is not a phone number\.$/s, parts: ["value"] },
  { key: "region", pattern: /^'(.*)' is not a country code like MX or US\.$/s, parts: ["value"] },
  { key: "brokerageName", pattern: /^The brokerage needs a name\.$/, parts: [] },
  { key: "yourName", pattern: /^Your name cannot be empty\.$/, parts: [] },
  { key: "agentName", pattern: /^agentName is a name \(one line\), not a signature block\.$/, parts: [] },
];

export function apiMessage(message: string, t: TFunction): string {
  for (const { key, pattern, parts } of PATTERNS) {
    const found = pattern.exec(message);
    if (!found) continue;
    const values: Record<string, string | number> = {};
    parts.forEach((part, i) => {
      const value = found[i + 1] ?? "";
      values[part] = part === "count" ? Number(value) : value;
    });
    return t(`apiError.${key}`, values);
  }
  return importMessage(message, t);
}

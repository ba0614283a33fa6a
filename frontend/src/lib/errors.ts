import type { CombinedError } from "urql";
import i18n from "../i18n";
import { apiMessage } from "./apiMessages";

/**
 * The words to show for a failed request: the API's own message when it is one a user can act
 * on, in the UI's language when it is one the dashboard knows (the API words errors in English).
 */
export function errorMessage(error: CombinedError | undefined | null, fallback: string): string {
  if (!error) return fallback;
  const say = (message: string) => apiMessage(message, i18n.t.bind(i18n));
  const actionable = error.graphQLErrors.find((e) => e.extensions?.code);
  if (actionable) return say(actionable.message);
  if (error.networkError) return fallback;
  const first = error.graphQLErrors[0]?.message;
  return first ? say(first) : fallback;
}

export function errorCode(error: CombinedError | undefined | null): string | undefined {
  const code = error?.graphQLErrors.find((e) => e.extensions?.code)?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

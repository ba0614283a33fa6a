import type { CombinedError } from "urql";

/** The words to show for a failed request: the API's own message when it is one a user can act on. */
export function errorMessage(error: CombinedError | undefined | null, fallback: string): string {
  if (!error) return fallback;
  const actionable = error.graphQLErrors.find((e) => e.extensions?.code);
  if (actionable) return actionable.message;
  if (error.networkError) return fallback;
  return error.graphQLErrors[0]?.message ?? fallback;
}

export function errorCode(error: CombinedError | undefined | null): string | undefined {
  const code = error?.graphQLErrors.find((e) => e.extensions?.code)?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

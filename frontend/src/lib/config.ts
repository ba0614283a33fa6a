/** Build-time switches (Vite env), read once. */

/**
 * Automatic persisted queries: send a query's sha256 hash first and the text only when the server
 * asks for it. On only when the server supports them (VITE_APQ=on at build time): a server
 * without APQ answers a hash-only request with an error that is not the APQ "not found" one.
 */
export const APQ_ENABLED = (import.meta.env.VITE_APQ ?? "off") === "on";

/** Where the API is: same origin by default (served by `brscale serve`, or Vite's proxy). */
export const GRAPHQL_PATH = import.meta.env.VITE_GRAPHQL_PATH ?? "/graphql";

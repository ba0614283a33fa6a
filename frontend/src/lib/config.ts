/** Build-time switches (Vite env), read once. */

/**
 * Automatic persisted queries: send a query's sha256 hash first and the text only when the server
 * asks for it. On by default (`brscale serve` supports them); VITE_APQ=off at build time for a
 * server without APQ, which answers a hash-only request with an error that is not APQ's "not
 * found" one.
 */
export const APQ_ENABLED = (import.meta.env.VITE_APQ ?? "on") === "on";

/** Where the API is: same origin by default (served by `brscale serve`, or Vite's proxy). */
export const GRAPHQL_PATH = import.meta.env.VITE_GRAPHQL_PATH ?? "/graphql";

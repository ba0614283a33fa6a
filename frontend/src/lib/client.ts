import { persistedExchange } from "@urql/exchange-persisted";
import { retryExchange } from "@urql/exchange-retry";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import {
  Client,
  type CombinedError,
  type Operation,
  cacheExchange,
  fetchExchange,
  mapExchange,
  subscriptionExchange,
  type Exchange,
} from "urql";
import { APQ_ENABLED, GRAPHQL_PATH } from "./config";

export function wsUrl(path: string, location: Location = window.location): string {
  if (/^wss?:\/\//.test(path)) return path;
  if (/^https?:\/\//.test(path)) return path.replace(/^http/, "ws");
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}`;
}

// What urql hands the exchange and graphql-ws calls: next, error, complete.
interface Sink {
  next(result: { data?: unknown }): void;
  error(error: unknown): void;
  complete(): void;
}

/** The event a subscription's result says it follows, for the ones that resume with `after`. */
export function resumeCursor(data: unknown): string | undefined {
  if (!data || typeof data !== "object") return undefined;
  const root = data as Record<string, { id?: unknown; eventId?: unknown } | null | undefined>;
  const cursor = root.agentActivity?.id ?? root.campaignProgress?.eventId;
  return typeof cursor === "string" ? cursor : undefined;
}

/**
 * graphql-ws subscribes again with the same payload after a dropped connection: moving the
 * payload's `after` to the last event seen makes the server replay what was missed meanwhile
 * (ActivityEvent.id, CampaignProgress.eventId), instead of losing it or starting over.
 */
export function resuming<S extends Sink>(input: { variables: Record<string, unknown> }, sink: S): S {
  if (!("after" in input.variables)) return sink;
  return {
    next(result: Parameters<S["next"]>[0]) {
      const cursor = resumeCursor(result.data);
      if (cursor) input.variables.after = cursor;
      sink.next(result);
    },
    error: (error: unknown) => sink.error(error),
    complete: () => sink.complete(),
  } as S;
}

/**
 * A read is asked again when it failed on the way, not on its merits: the request never got an
 * answer (an API process restarting, a dropped connection: the load balancer sends the retry to
 * another one) or the service said it was busy (SERVICE_UNAVAILABLE, "retry in a few seconds").
 * Mutations are never repeated: one that did reach the server may have happened.
 */
export function retryable(error: CombinedError, operation: Pick<Operation, "kind">): boolean {
  if (operation.kind !== "query") return false;
  return (
    Boolean(error.networkError) ||
    error.graphQLErrors.some((e) => e.extensions?.code === "SERVICE_UNAVAILABLE")
  );
}

export interface ApiClient {
  client: Client;
  ws: WsClient;
}

/**
 * One urql client per signed-in token: queries and mutations over HTTP (multipart for uploads,
 * APQ when switched on), subscriptions over WebSocket (graphql-transport-ws), the token in
 * `connection_init` as the API expects. `onUnauthenticated` runs when the token stops working.
 */
export function createApiClient(token: string | null, onUnauthenticated: () => void): ApiClient {
  const ws = createWsClient({
    url: wsUrl(GRAPHQL_PATH),
    lazy: true,
    retryAttempts: Infinity,
    retryWait: async (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 15000))),
    shouldRetry: () => true,
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
  });
  const exchanges: Exchange[] = [
    mapExchange({
      onError(error) {
        if (error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED") && token) {
          onUnauthenticated();
        }
      },
    }),
    cacheExchange,
    retryExchange({ initialDelayMs: 300, maxDelayMs: 3000, maxNumberAttempts: 3, retryIf: retryable }),
  ];
  if (APQ_ENABLED) {
    exchanges.push(persistedExchange({ preferGetForPersistedQueries: false }));
  }
  exchanges.push(
    subscriptionExchange({
      forwardSubscription(request) {
        const input = { ...request, query: request.query ?? "", variables: { ...request.variables } };
        return {
          subscribe(sink) {
            const unsubscribe = ws.subscribe(input, resuming(input, sink));
            return { unsubscribe };
          },
        };
      },
    }),
    fetchExchange,
  );
  const client = new Client({
    url: GRAPHQL_PATH,
    exchanges,
    requestPolicy: "cache-and-network",
    fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  return { client, ws };
}

import { useEffect, useRef } from "react";
import { useSubscription } from "urql";
import { graphql } from "../gql";

const LiveActivity = graphql(`
  subscription LiveActivity($propertyId: ID, $after: ID) {
    agentActivity(propertyId: $propertyId, after: $after) {
      id
      type
      at
      conversation {
        id
      }
    }
  }
`);

/**
 * Calls `refetch` shortly after the agent does anything (on one listing, or anywhere): screens
 * stay live without reloading. At most one refetch per `everyMs`, always one after the last event:
 * a campaign's burst of events costs a few requests, not one each.
 */
export function useLiveRefetch(
  refetch: () => void,
  options: { propertyId?: string | null; conversationId?: string; pause?: boolean; everyMs?: number } = {},
) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(refetch);
  latest.current = refetch;
  const [{ data }] = useSubscription({
    query: LiveActivity,
    // `after` is moved along by the client: a reconnection replays what was missed (lib/client.ts).
    variables: { propertyId: options.propertyId ?? null, after: null },
    pause: options.pause,
  });
  useEffect(() => {
    if (!data) return;
    if (options.conversationId && data.agentActivity.conversation?.id !== options.conversationId) return;
    if (timer.current) return; // a refetch is already due, and will see this event too
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, options.everyMs ?? 300);
  }, [data, options.conversationId, options.everyMs]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
}

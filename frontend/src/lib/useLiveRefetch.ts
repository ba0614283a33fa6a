import { useEffect, useRef } from "react";
import { useSubscription } from "urql";
import { graphql } from "../gql";

const LiveActivity = graphql(`
  subscription LiveActivity($propertyId: ID) {
    agentActivity(propertyId: $propertyId) {
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
 * stay live without reloading. Events arriving together cause one refetch, not one each.
 */
export function useLiveRefetch(
  refetch: () => void,
  options: { propertyId?: string | null; conversationId?: string; pause?: boolean } = {},
) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(refetch);
  latest.current = refetch;
  const [{ data }] = useSubscription({
    query: LiveActivity,
    variables: { propertyId: options.propertyId ?? null },
    pause: options.pause,
  });
  useEffect(() => {
    if (!data) return;
    if (options.conversationId && data.agentActivity.conversation?.id !== options.conversationId) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), 250);
  }, [data, options.conversationId]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
}

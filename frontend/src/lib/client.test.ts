import { CombinedError } from "urql";
import { describe, expect, it, vi } from "vitest";
import { resumeCursor, resuming, retryable } from "./client";

function sink() {
  return { next: vi.fn(), error: vi.fn(), complete: vi.fn() };
}

describe("subscriptions resume after a dropped connection", () => {
  it("moves the payload's `after` to the last activity event received", () => {
    // graphql-ws sends this same payload object again when it reconnects.
    const payload = { query: "subscription", variables: { propertyId: null, after: null as string | null } };
    const inner = sink();
    const wrapped = resuming(payload, inner);
    wrapped.next({ data: { agentActivity: { id: "QWN0aXZpdHlFdmVudDo0", type: "MESSAGE_SENT" } } });
    expect(payload.variables.after).toBe("QWN0aXZpdHlFdmVudDo0");
    wrapped.next({ data: { agentActivity: { id: "QWN0aXZpdHlFdmVudDo1", type: "LEAD_REPLIED" } } });
    expect(payload.variables.after).toBe("QWN0aXZpdHlFdmVudDo1");
    expect(inner.next).toHaveBeenCalledTimes(2);
    wrapped.complete();
    expect(inner.complete).toHaveBeenCalled();
  });

  it("follows a campaign's figures by their event, and leaves other subscriptions alone", () => {
    expect(resumeCursor({ campaignProgress: { eventId: "ev9", started: 3 } })).toBe("ev9");
    expect(resumeCursor({ campaignProgress: { eventId: null } })).toBeUndefined();
    const payload = { query: "subscription", variables: { importId: "i1" } as Record<string, unknown> };
    const inner = sink();
    expect(resuming(payload, inner)).toBe(inner);
  });
});

describe("a read that failed on the way is asked again", () => {
  const busy = new CombinedError({
    graphQLErrors: [{ message: "The service is busy", extensions: { code: "SERVICE_UNAVAILABLE" } }],
  });
  const dropped = new CombinedError({ networkError: new TypeError("Failed to fetch") });
  const refused = new CombinedError({
    graphQLErrors: [{ message: "Not allowed", extensions: { code: "FORBIDDEN" } }],
  });

  it("retries queries that got no answer or were told the service is busy", () => {
    expect(retryable(dropped, { kind: "query" })).toBe(true);
    expect(retryable(busy, { kind: "query" })).toBe(true);
  });

  it("never repeats a mutation, and never retries a refusal", () => {
    expect(retryable(dropped, { kind: "mutation" })).toBe(false);
    expect(retryable(busy, { kind: "mutation" })).toBe(false);
    expect(retryable(refused, { kind: "query" })).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { mergeEvents, type ActivityEventItem } from "./ActivityFeed";

const event = (id: string): ActivityEventItem => ({
  __typename: "ActivityEvent",
  id,
  type: "MESSAGE_SENT",
  at: "2026-12-07T10:00:00Z",
  conversation: null,
  lead: null,
  property: null,
  message: null,
});

describe("the live feed", () => {
  it("shows an event replayed after a reconnection once, newest first, up to the limit", () => {
    const history = [event("3"), event("2"), event("1")];
    const live = [event("5"), event("4"), event("3")];
    expect(mergeEvents(live, history).map((e) => e.id)).toEqual(["5", "4", "3", "2", "1"]);
    expect(mergeEvents(live, history, 2).map((e) => e.id)).toEqual(["5", "4"]);
  });
});

import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { mergeEvents, syncLine, type ActivityEventItem } from "./ActivityFeed";

const event = (id: string): ActivityEventItem => ({
  __typename: "ActivityEvent",
  id,
  type: "MESSAGE_SENT",
  at: "2026-12-07T10:00:00Z",
  conversation: null,
  lead: null,
  property: null,
  message: null,
  syncRun: null,
});

describe("the live feed", () => {
  it("shows an event replayed after a reconnection once, newest first, up to the limit", () => {
    const history = [event("3"), event("2"), event("1")];
    const live = [event("5"), event("4"), event("3")];
    expect(mergeEvents(live, history).map((e) => e.id)).toEqual(["5", "4", "3", "2", "1"]);
    expect(mergeEvents(live, history, 2).map((e) => e.id)).toEqual(["5", "4"]);
  });
});

describe("a CRM sync in the feed", () => {
  const run = { __typename: "SyncRun" as const, provider: "FOLLOWUPBOSS" as const, imported: 120, updated: 30, error: null };
  const t = i18n.getFixedT("es");
  it("says what the pass brought in, that it started, or why it stopped", () => {
    expect(syncLine("CRM_SYNC_FINISHED", run, t)).toBe("Follow Up Boss: 120 leads nuevos, 30 actualizados");
    expect(syncLine("CRM_SYNC_STARTED", run, t)).toBe("Follow Up Boss: trayendo tus contactos…");
    expect(syncLine("CRM_SYNC_FINISHED", { ...run, error: "la clave ya no es válida" }, t)).toBe(
      "Follow Up Boss: se detuvo (la clave ya no es válida)",
    );
  });
});

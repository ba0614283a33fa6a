import { describe, expect, it } from "vitest";
import { columnOf, groupByColumn } from "./ListingPage";

const outbound = { direction: "OUTBOUND" as const };
const inbound = { direction: "INBOUND" as const };

describe("the conversations board", () => {
  it("puts an open conversation in Responding once the lead has replied, in Waiting before", () => {
    expect(columnOf({ status: "WAITING", messages: [outbound] })).toBe("waiting");
    expect(columnOf({ status: "WAITING", messages: [outbound, inbound, outbound] })).toBe("responding");
    expect(columnOf({ status: "RESPONDING", messages: [outbound, inbound] })).toBe("responding");
  });

  it("gives drafts, cold, qualified and closed conversations their own columns", () => {
    expect(columnOf({ status: "AWAITING_APPROVAL", messages: [] })).toBe("toApprove");
    expect(columnOf({ status: "COLD", messages: [outbound] })).toBe("cold");
    expect(columnOf({ status: "HANDED_OFF", messages: [inbound] })).toBe("qualified");
    expect(columnOf({ status: "QUALIFIED", messages: [inbound] })).toBe("qualified");
    expect(columnOf({ status: "OPTED_OUT", messages: [inbound] })).toBe("closed");
  });

  it("groups every conversation into exactly one column, in the board's order", () => {
    const items = [
      { id: 1, status: "WAITING" as const, messages: [outbound] },
      { id: 2, status: "AWAITING_APPROVAL" as const, messages: [] },
      { id: 3, status: "WAITING" as const, messages: [inbound] },
    ];
    expect(groupByColumn(items).map((c) => [c.key, c.items.map((i) => i.id)])).toEqual([
      ["toApprove", [2]],
      ["responding", [3]],
      ["waiting", [1]],
      ["cold", []],
      ["qualified", []],
      ["closed", []],
    ]);
  });
});

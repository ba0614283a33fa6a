import { describe, expect, it } from "vitest";
import { cleanWindows, invalidWindows } from "./AvailabilityEditor";

describe("viewing hours", () => {
  it("are sent in week order, HH:MM, without the API's typename", () => {
    const windows = [
      { __typename: "AvailabilityWindow", weekday: "SATURDAY", startTime: "10:00", endTime: "14:00" },
      { weekday: "MONDAY", startTime: "16:00:00", endTime: "19:00" },
      { weekday: "MONDAY", startTime: "09:00", endTime: "12:00" },
    ] as const;
    expect(cleanWindows(windows.map((w) => ({ ...w })))).toEqual([
      { weekday: "MONDAY", startTime: "09:00", endTime: "12:00" },
      { weekday: "MONDAY", startTime: "16:00", endTime: "19:00" },
      { weekday: "SATURDAY", startTime: "10:00", endTime: "14:00" },
    ]);
  });

  it("flag a window that ends before it starts or overlaps another the same day", () => {
    expect(
      invalidWindows([
        { weekday: "MONDAY", startTime: "10:00", endTime: "14:00" },
        { weekday: "MONDAY", startTime: "13:00", endTime: "18:00" },
        { weekday: "TUESDAY", startTime: "13:00", endTime: "18:00" },
        { weekday: "FRIDAY", startTime: "18:00", endTime: "10:00" },
        { weekday: "SATURDAY", startTime: "", endTime: "10:00" },
      ]),
    ).toEqual(new Set([0, 1, 3, 4]));
    expect(invalidWindows([{ weekday: "MONDAY", startTime: "10:00", endTime: "14:00" }, { weekday: "MONDAY", startTime: "14:00", endTime: "18:00" }]).size).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { countryOptions } from "./countries";

describe("the phones' country", () => {
  it("is chosen by its name, so 'MEX' can no longer become Montenegro (ME) unseen", () => {
    const es = countryOptions("es");
    expect(es).toContainEqual({ value: "MX", label: "México (MX)" });
    expect(es).toContainEqual({ value: "ME", label: "Montenegro (ME)" });
    expect(es).toContainEqual({ value: "US", label: "Estados Unidos (US)" });
    expect(new Set(es.map((o) => o.value)).size).toBe(es.length);
    expect(countryOptions("en")).toContainEqual({ value: "MX", label: "Mexico (MX)" });
    // A code the brokerage already has stays selectable even if the list lacks it.
    expect(countryOptions("es", "QQ").some((o) => o.value === "QQ")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { changeLine, sourceLabel } from "./LeadHistory";

const change = (over: Partial<Parameters<typeof changeLine>[0]> = {}) => ({
  __typename: "LeadChange" as const,
  at: "2026-12-07T10:00:00Z",
  source: "FOLLOWUPBOSS",
  field: "name",
  before: "Ana",
  after: "Ana María",
  conflict: null,
  ...over,
});

describe("the lead's history", () => {
  const es = i18n.getFixedT("es");
  const en = i18n.getFixedT("en");

  it("says what changed and where the change came from, in the broker's words", () => {
    expect(changeLine(change(), es)).toBe("Nombre: Ana → Ana María");
    expect(changeLine(change({ field: "crm_status", before: null, after: "Hot" }), en)).toBe("CRM stage: (empty) → Hot");
    expect(sourceLabel("FOLLOWUPBOSS", es)).toBe("Follow Up Boss");
    expect(sourceLabel("CSV", es)).toBe("Importación");
    expect(sourceLabel("SOMETHING_NEW", es)).toBe("SOMETHING_NEW");
  });

  it("names the value a conflict kept and the one it set aside", () => {
    const conflict = { __typename: "SyncConflict" as const, crmValue: "Ana M.", localValue: "Ana María López", kept: "CRM" as const };
    expect(changeLine(change({ conflict }), es)).toBe("Nombre: se quedó «Ana M.» del CRM (aquí decía «Ana María López»)");
    expect(changeLine(change({ conflict: { ...conflict, kept: "BRSCALE" } }), en)).toBe(
      "Name: kept “Ana María López” from BR SCALE (the CRM had “Ana M.”)",
    );
  });
});

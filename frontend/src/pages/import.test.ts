import { describe, expect, it } from "vitest";
import { detectedMapping, errorsCsv } from "./ImportPage";

describe("the import wizard's mapping", () => {
  it("lists every column of the file, those the server does not use as IGNORE", () => {
    expect(
      detectedMapping(
        ["Nombre", "Correo", "Dónde busca", ""],
        [
          { column: "Nombre", field: "NAME" },
          { column: "Correo", field: "EMAIL" },
        ],
      ),
    ).toEqual({ Nombre: "NAME", Correo: "EMAIL", "Dónde busca": "IGNORE" });
  });

  it("falls back to the server's columns when the file could not be read here", () => {
    expect(detectedMapping([], [{ column: "email", field: "EMAIL" }])).toEqual({ email: "EMAIL" });
  });

  it("downloads rejected rows with their line numbers", () => {
    expect(
      errorsCsv(
        [
          { line: 5, column: null, message: "Row skipped: it has no email or phone number" },
          { line: 9, column: "Correo", message: "Not an email" },
        ],
        ["Line", "Column", "Reason"],
      ),
    ).toBe(
      "\uFEFFLine,Column,Reason\r\n5,,Row skipped: it has no email or phone number\r\n9,Correo,Not an email\r\n",
    );
  });
});

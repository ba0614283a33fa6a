import { describe, expect, it } from "vitest";
import { parseCsv, samplesFor, toCsv } from "./csv";

describe("parseCsv", () => {
  it("reads a spreadsheet export with a BOM, semicolons and quoted cells", () => {
    const text =
      '\uFEFFNombre;Correo;Notas\r\n"López, Ana";ana@example.com;"dijo ""llámame""\r\nmañana"\r\n;;\r\nBeto;beto@example.com;\r\n';
    expect(parseCsv(text)).toEqual({
      header: ["Nombre", "Correo", "Notas"],
      rows: [
        ["López, Ana", "ana@example.com", 'dijo "llámame"\r\nmañana'],
        ["Beto", "beto@example.com", ""],
      ],
    });
  });

  it("stops after the rows it was asked for", () => {
    const text = ["name,email", "a,a@x.co", "b,b@x.co", "c,c@x.co"].join("\n");
    expect(parseCsv(text, 2).rows).toEqual([
      ["a", "a@x.co"],
      ["b", "b@x.co"],
    ]);
  });
});

describe("samplesFor", () => {
  it("gives a column's first non-empty values", () => {
    const sample = parseCsv("zona,precio\n,1\nPolanco,2\nRoma,3\nCondesa,4\n");
    expect(samplesFor(sample, "zona")).toEqual(["Polanco", "Roma", "Condesa"]);
    expect(samplesFor(sample, "missing")).toEqual([]);
  });
});

describe("toCsv", () => {
  it("quotes what needs quoting and makes formulas inert", () => {
    expect(toCsv([["Línea", "Motivo"], [5, '=HYPERLINK("x")'], [7, "a, b"]])).toBe(
      '\uFEFFLínea,Motivo\r\n5,"\'=HYPERLINK(""x"")"\r\n7,"a, b"\r\n',
    );
  });
});

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

describe("the import's problems, in the broker's language", () => {
  it("says every sentence the API words a problem with in Spanish, the cell's value kept", async () => {
    const { default: i18n } = await import("../i18n");
    const { importMessage } = await import("../lib/importMessages");
    await i18n.changeLanguage("es");
    const t = i18n.t.bind(i18n);
    const said = (message: string) => importMessage(message, t);
    expect(said('Phone "123" is not a valid phone number for region MX')).toBe(
      "El teléfono «123» no es un número válido de MX: la fila se importa sin él.",
    );
    expect(said('Date "fecha mala" is not a date we can read (expected dd/mm/yyyy)')).toBe(
      "La fecha «fecha mala» no se puede leer (esperábamos dd/mm/aaaa): la fila se importa sin ella.",
    );
    expect(said('Budget "abc" is not an amount of money')).toMatch(/^El presupuesto «abc» no es una cantidad/);
    expect(said('Bedrooms "tres y media" is not a number of bedrooms')).toMatch(/^«tres y media» no es un número de recámaras/);
    expect(said("Row skipped: it has no valid email or phone number")).toBe(
      "Fila omitida: no tiene un correo ni un teléfono válidos.",
    );
    expect(said('Line has 5 cells but the header has 3: "x", "y" and 2 more not imported (a comma inside a value without quotes?)')).toBe(
      "La línea tiene 5 celdas y el encabezado 3: \"x\", \"y\" y 2 más no se importaron (¿una coma dentro de un valor sin comillas?).",
    );
    expect(said("The file is empty")).toBe("El archivo está vacío.");
    // A sentence this dashboard does not know yet is shown as the API wrote it.
    expect(said("Something new happened")).toBe("Something new happened");
    // The downloaded file says the same as the table.
    expect(errorsCsv([{ line: 3, column: "Correo", message: 'Email "a@b" is not a valid email address' }], ["Línea", "Columna", "Motivo"], said)).toContain(
      "3,Correo,El correo «a@b» no es una dirección válida: la fila se importa sin él.",
    );
  });
});

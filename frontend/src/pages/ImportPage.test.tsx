import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { print } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { fromValue, toPromise, type Source } from "wonka";
import type { Client } from "urql";
import i18n from "../i18n";
import { renderWith } from "../test/render";
import { ImportPage } from "./ImportPage";

const CSV = "Nombre;Correo;Dónde busca\nAna;ana@example.com;Polanco\nBeto;;Roma\nCeci;ceci@example;Roma\n";

function dryRun(mapping: { column: string; field: string }[]) {
  return {
    __typename: "LeadImport",
    id: "TGVhZEltcG9ydDox",
    status: "PREVIEW",
    filename: "leads.csv",
    totalRows: 3,
    imported: 1,
    updated: 0,
    unchanged: 1,
    duplicates: 0,
    errorCount: 2,
    rejectedRows: 1,
    failure: null,
    mapping: mapping.map((m) => ({ __typename: "ColumnMapping", ...m })),
    preview: [
      {
        __typename: "ImportPreviewRow",
        line: 2,
        name: "Ana",
        email: "ana@example.com",
        phone: null,
        locations: ["Polanco"],
        minBudget: null,
        maxBudget: 5_000_000,
        bedrooms: null,
        operation: null,
      },
    ],
    errors: [
      { __typename: "LeadImportError", line: 3, column: null, message: "Row skipped: it has no email or phone number" },
      { __typename: "LeadImportError", line: 4, column: "Correo", message: 'Email "ceci@example" is not a valid email address' },
    ],
    merges: [
      { __typename: "ImportMerge", line: 2, sameAsLine: null, leadId: "TGVhZDo5", leadName: "Ana Vieja", matchedOn: "ana@example.com" },
    ],
    unrecognizedColumns: mapping.some((m) => m.column === "Dónde busca")
      ? []
      : [
          {
            __typename: "UnrecognizedColumn",
            column: "Dónde busca",
            samples: ["Polanco", "Roma"],
            suggestion: { __typename: "FieldSuggestion", field: "LOCATION", confidence: 0.8, reason: "Neighbourhood names" },
          },
        ],
    dryRun: true,
    createdAt: new Date().toISOString(),
  };
}

const running = {
  __typename: "LeadImport",
  id: "TGVhZEltcG9ydDoy",
  status: "RUNNING",
  filename: "crm-export.csv",
  totalRows: 1000,
  imported: 400,
  updated: 20,
  unchanged: 0,
  duplicates: 5,
  errorCount: 3,
  rejectedRows: 1,
  dryRun: false,
  createdAt: new Date().toISOString(),
  finishedAt: null,
};

function queries() {
  const asked: string[] = [];
  const executeQuery = vi.fn((request: { query: Parameters<typeof print>[0] }): Source<unknown> => {
    const text = print(request.query);
    asked.push(text);
    if (text.includes("query OneImport")) {
      return fromValue({
        data: { leadImport: { ...dryRun([]), ...running, merges: [], unrecognizedColumns: [], errors: [] } },
        stale: false,
        hasNext: false,
      });
    }
    return fromValue({
      data: {
        leadImports: {
          __typename: "LeadImportConnection",
          totalCount: 2,
          edges: [running, { ...running, id: "dry", dryRun: true, status: "PREVIEW", filename: "prueba.csv" }].map((node) => ({
            __typename: "LeadImportEdge",
            node,
          })),
        },
      },
      stale: false,
      hasNext: false,
    });
  });
  return { executeQuery, asked };
}

describe("the import wizard", () => {
  it("shows every column with samples, flags the unrecognised one, and re-checks with the broker's choice", async () => {
    await i18n.changeLanguage("es");
    const calls: { options: { dryRun?: boolean; mapping?: { column: string; field: string }[] | null } }[] = [];
    const client = {
      executeQuery: queries().executeQuery,
      executeSubscription: vi.fn(() => fromValue({ data: undefined, stale: false, hasNext: false })),
      executeMutation: vi.fn((request: { variables: (typeof calls)[number] }) => {
        calls.push(request.variables);
        const chosen = request.variables.options.mapping?.filter((m) => m.field !== "IGNORE");
        return fromValue({
          data: {
            importLeadsCsv: dryRun(
              chosen ?? [
                { column: "Nombre", field: "NAME" },
                { column: "Correo", field: "EMAIL" },
              ],
            ),
          },
          stale: false,
          hasNext: false,
        });
      }),
    } as unknown as Client;
    const { container } = renderWith(<ImportPage />, client);

    const file = new File([CSV], "leads.csv", { type: "text/csv" });
    await userEvent.upload(container.querySelector('input[type="file"]') as HTMLInputElement, file);

    const row = (await screen.findByText("Dónde busca", {}, { timeout: 10_000 })).closest("tr")!;
    expect(within(row).getByText("No reconocida")).toBeInTheDocument();
    expect(within(row).getByText("Polanco · Roma · Roma")).toBeInTheDocument();
    // One row is rejected; the other problem only leaves a value out: two problems, one rejected row,
    // each said in the UI's language with its line.
    expect(screen.getByText(/3 filas leídas · rechazadas: 1 · problemas: 2/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Importar 2 filas" })).toBeInTheDocument();
    const problems = screen.getByRole("table", { name: /2 problemas/ });
    expect(within(problems).getByRole("row", { name: /^3 — Fila omitida: no tiene correo ni teléfono\.$/ })).toBeInTheDocument();
    expect(
      within(problems).getByRole("row", {
        name: "4 Correo El correo «ceci@example» no es una dirección válida: la fila se importa sin él.",
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/is not a valid email|Row skipped/)).not.toBeInTheDocument();
    // A budget with only a top reads "hasta", not "… – 5,000,000".
    expect(screen.getByRole("cell", { name: "hasta 5,000,000" })).toBeInTheDocument();
    expect(calls[0].options.dryRun).toBe(true);
    // The dry run's merges, and the column suggestion, one click to apply.
    expect(screen.getByText("Línea 2: actualiza a Ana Vieja, que ya tienes (ana@example.com).")).toBeInTheDocument();
    // A lead you have whose row brings nothing new still merges: the title counts it ("0 filas" before).
    expect(screen.getByRole("heading", { name: "1 fila se une a otra" })).toBeInTheDocument();
    expect(within(row).getByText(/¿Zona\? \(80\s?%\)/)).toBeInTheDocument();
    await userEvent.click(within(row).getByRole("button", { name: "Leer la columna Dónde busca como Zona" }));
    expect(within(row).queryByText("No reconocida")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Revisar de nuevo" }));

    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].options).toMatchObject({
      dryRun: true,
      mapping: [
        { column: "Nombre", field: "NAME" },
        { column: "Correo", field: "EMAIL" },
        { column: "Dónde busca", field: "LOCATION" },
      ],
    });
    await waitFor(() => expect(within(row).queryByText("No reconocida")).not.toBeInTheDocument());
  });

  it("lists the imports with status and counts, and follows a running one again", async () => {
    await i18n.changeLanguage("en");
    const { executeQuery, asked } = queries();
    const client = {
      executeQuery,
      query: (query: Parameters<typeof print>[0]) => ({
        toPromise: () => toPromise(executeQuery({ query })),
      }),
      executeSubscription: vi.fn(() => fromValue({ data: undefined, stale: false, hasNext: false })),
      executeMutation: vi.fn(),
    } as unknown as Client;
    renderWith(<ImportPage />, client);

    const list = await screen.findByRole("table", { name: "Your imports" });
    const row = within(list).getByText("crm-export.csv").closest("tr")!;
    expect(within(row).getByText("Running")).toBeInTheDocument();
    expect(within(row).getByText("1000 rows: 400 new, 20 updated, 0 unchanged, 5 duplicates, 1 rejected")).toBeInTheDocument();
    expect(within(list).queryByText("prueba.csv")).not.toBeInTheDocument(); // dry runs are not imports

    await userEvent.click(within(row).getByRole("button", { name: "Follow: crm-export.csv" }));
    // Rows done are the rows counted, not the problems (3 here, one of them the rejected row).
    expect(await screen.findByText("426 of 1000 rows")).toBeInTheDocument();
    expect(asked.some((q) => q.includes("query OneImport"))).toBe(true);
  });
});

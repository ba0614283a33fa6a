import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";
import type { Client } from "urql";
import i18n from "../i18n";
import { renderWith } from "../test/render";
import { ImportPage } from "./ImportPage";

const CSV = "Nombre;Correo;Dónde busca\nAna;ana@example.com;Polanco\nBeto;;Roma\n";

function dryRun(mapping: { column: string; field: string }[]) {
  return {
    __typename: "LeadImport",
    id: "TGVhZEltcG9ydDox",
    status: "PREVIEW",
    filename: "leads.csv",
    totalRows: 2,
    imported: 0,
    updated: 0,
    duplicates: 0,
    errorCount: 1,
    failure: null,
    mapping: mapping.map((m) => ({ __typename: "ColumnMapping", ...m })),
    preview: [],
    errors: [{ __typename: "LeadImportError", line: 3, column: null, message: "Row skipped: it has no email or phone number" }],
  };
}

describe("the import wizard", () => {
  it("shows every column with samples, flags the unrecognised one, and re-checks with the broker's choice", async () => {
    await i18n.changeLanguage("es");
    const calls: { options: { dryRun?: boolean; mapping?: { column: string; field: string }[] | null } }[] = [];
    const client = {
      executeQuery: vi.fn(),
      executeSubscription: vi.fn(),
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
    expect(within(row).getByText("Polanco · Roma")).toBeInTheDocument();
    expect(screen.getByText(/2 filas leídas; 1 con problemas/)).toBeInTheDocument();
    expect(screen.getByText("Row skipped: it has no email or phone number")).toBeInTheDocument();
    expect(calls[0].options.dryRun).toBe(true);

    await userEvent.click(screen.getByRole("textbox", { name: "Campo para la columna Dónde busca" }));
    await userEvent.click(await screen.findByRole("option", { name: "Zona" }));
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
});

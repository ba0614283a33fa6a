import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { print } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { fromValue, never } from "wonka";
import type { Client } from "urql";
import i18n from "../i18n";
import { MeProvider } from "../lib/me";
import { renderWith } from "../test/render";
import { HomePage } from "./HomePage";

// What the API answers per window: the all-time leads (40) and conversations (30) are not the
// week's cohort (10 contacted, 5 replied, 2 qualified, 1 with a viewing).
const FIGURES = {
  LAST_7_DAYS: { sent: 25, contacted: 10, replied: 5, qualified: 2, viewings: 1 },
  ALL_TIME: { sent: 90, contacted: 30, replied: 12, qualified: 6, viewings: 3 },
} as const;

function stats(window: keyof typeof FIGURES) {
  const f = FIGURES[window];
  return {
    __typename: "CrmSyncStats",
    window,
    connected: false,
    provider: "CSV",
    totalLeadsImported: 40,
    lastSyncAt: new Date(Date.now() - 120_000).toISOString(),
    breakdown: { __typename: "LeadBreakdown", hot: 10, warm: 10, cold: 20 },
    aiActivity: {
      __typename: "AiActivity",
      messagesSent: f.sent,
      conversationsActive: 8,
      leadsQualified: f.qualified,
      meetingsScheduled: f.viewings,
    },
    funnel: {
      __typename: "Funnel",
      leadsContacted: f.contacted,
      leadsReplied: f.replied,
      leadsQualified: f.qualified,
      leadsWithViewing: f.viewings,
    },
    performance: {
      __typename: "Performance",
      responseRate: f.replied / f.contacted,
      qualificationRate: f.qualified / f.contacted,
      conversionRate: f.viewings / f.contacted,
    },
  };
}

const TASK = {
  __typename: "BrokerTask",
  id: "t1",
  kind: "CALL_HOT_LEAD",
  lead: { __typename: "Lead", id: "l1", name: "Ana Pérez", phone: "+525512345678" },
  conversation: { __typename: "Conversation", id: "c1" },
  property: { __typename: "Property", id: "p1", title: "Departamento en Polanco con terraza y vista" },
};

function fakeApi(tasks: (typeof TASK)[] = []) {
  return {
    executeQuery: vi.fn((request: { query: Parameters<typeof print>[0]; variables: { window?: keyof typeof FIGURES } }) => {
      if (print(request.query).includes("query RecentActivity")) {
        return fromValue({ data: { activity: { __typename: "ActivityEventConnection", edges: [] } }, stale: false, hasNext: false });
      }
      return fromValue({
        data: {
          crmSyncStats: stats(request.variables.window ?? "LAST_7_DAYS"),
          properties: { __typename: "PropertyConnection", totalCount: 1, edges: [] },
          leads: { __typename: "LeadConnection", totalCount: 40 },
          conversations: { __typename: "ConversationConnection", totalCount: 30 },
          brokerTasks: {
            __typename: "BrokerTaskConnection",
            totalCount: tasks.length,
            edges: tasks.map((node) => ({ __typename: "BrokerTaskEdge", node })),
          },
        },
        stale: false,
        hasNext: false,
      });
    }),
    executeSubscription: vi.fn(() => never),
    executeMutation: vi.fn(),
  } as unknown as Client;
}

describe("Home's figures", () => {
  it("say what each counts, and the funnel is the chosen period's cohort that the rates divide", async () => {
    await i18n.changeLanguage("es");
    renderWith(
      <MeProvider value={{ id: "u1", name: "Ana", role: "OWNER" }}>
        <HomePage />
      </MeProvider>,
      fakeApi(),
    );

    const ai = await screen.findByRole("region", { name: "Actividad de la IA (últimos 7 días)" });
    for (const hint of [
      "correos y SMS que la IA envió (los que esperan turno aún no)",
      "conversaciones en curso con algún mensaje en el periodo",
      "puntaje mayor a 75: listos para comprar o rentar",
      "visitas que el lead confirmó en el periodo",
    ]) {
      expect(within(ai).getByText(hint)).toBeInTheDocument();
    }
    expect(
      within(ai).getByText(
        /^De 10 leads contactados en el periodo: respondió el 50\s?%, calificó el 20\s?% y confirmó visita el 10\s?%\.$/,
      ),
    ).toBeInTheDocument();

    const funnel = screen.getByRole("table", { name: "Embudo (últimos 7 días)" });
    const step = (name: string) => within(funnel).getByRole("rowheader", { name }).nextElementSibling?.textContent;
    expect([step("Contactados"), step("Respondieron"), step("Calificados"), step("Con visita")]).toEqual(["10", "5", "2", "1"]);
    // No CRM: the time shown is the last file imported, not a sync.
    expect(screen.getByText(/40 leads en total · última importación hace 2 minutos/)).toBeInTheDocument();

    await userEvent.click(screen.getByText("Todo"));
    await waitFor(() =>
      expect(screen.getByRole("table", { name: "Embudo (desde el inicio)" })).toBeInTheDocument(),
    );
    const allTime = screen.getByRole("table", { name: "Embudo (desde el inicio)" });
    expect(within(allTime).getByRole("rowheader", { name: "Contactados" }).nextElementSibling?.textContent).toBe("30");
  });

  it("gives each lead to call a number to tap, not one cut off after the listing's title", async () => {
    await i18n.changeLanguage("es");
    renderWith(
      <MeProvider value={{ id: "u1", name: "Ana", role: "OWNER" }}>
        <HomePage />
      </MeProvider>,
      fakeApi([TASK]),
    );
    // The list is on top for phones and in the side column for desktops (CSS shows one).
    const calls = await screen.findAllByRole("region", { name: "Llama hoy a estos leads" });
    expect(calls).toHaveLength(2);
    const tap = within(calls[0]).getByRole("link", { name: "Llamar a Ana Pérez: +525512345678" });
    expect(tap).toHaveAttribute("href", "tel:+525512345678");
  });
});

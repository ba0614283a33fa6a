import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { print } from "graphql";
import { notifications } from "@mantine/notifications";
import { describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";
import type { Client } from "urql";
import i18n from "../i18n";
import { renderWith } from "../test/render";
import { TeamPage, auditDetail } from "./TeamPage";

function fakeApi(role: "OWNER" | "ADMIN") {
  const sent: { query: string; variables: unknown }[] = [];
  const users = [
    { __typename: "User", id: "u1", name: "Ana Broker", email: "ana@example.com", role: "OWNER", phone: null },
    { __typename: "User", id: "u2", name: "Luis Agente", email: "luis@example.com", role: "AGENT", phone: null },
  ];
  const client = {
    executeQuery: vi.fn(() =>
      fromValue({
        data: {
          me: { __typename: "User", id: role === "OWNER" ? "u1" : "u3", role },
          brokerage: {
            __typename: "Brokerage",
            id: "b1",
            leadRouting: "ROUND_ROBIN",
            plan: {
              __typename: "BrokeragePlan",
              label: "Enterprise",
              limits: { __typename: "PlanLimits", users: 15 },
              usage: { __typename: "PlanUsage", users: 3 },
            },
          },
          users,
          invitations: [{ __typename: "Invitation", id: "i1", email: "eva@example.com", role: "ADMIN", expiresAt: "2026-12-14T10:00:00Z" }],
          auditLog: {
            __typename: "AuditEntryConnection",
            edges: [
              {
                __typename: "AuditEntryEdge",
                node: {
                  __typename: "AuditEntry",
                  id: "a1",
                  at: new Date().toISOString(),
                  actorName: "Ana Broker",
                  action: "USER_INVITED",
                  subjectType: "Invitation",
                  detail: { email: "eva@example.com", role: "ADMIN" },
                },
              },
            ],
          },
        },
        stale: false,
        hasNext: false,
      }),
    ),
    executeMutation: vi.fn((request: { query: Parameters<typeof print>[0]; variables: unknown }) => {
      sent.push({ query: print(request.query), variables: request.variables });
      return fromValue({
        data: {
          inviteUser: { __typename: "Invitation", id: "i2", email: "zoe@example.com", role: "AGENT", expiresAt: "2026-12-14T10:00:00Z" },
          removeUser: { __typename: "RemoveUserPayload", removedId: "u2", leadsRerouted: 4 },
          updateBrokerage: { __typename: "Brokerage", id: "b1", leadRouting: "LISTING_AGENT" },
        },
        stale: false,
        hasNext: false,
      });
    }),
    executeSubscription: vi.fn(),
  } as unknown as Client;
  return { client, sent };
}

describe("Team", () => {
  it("invites an agent, lists people, pending invitations and the audit, and removes someone after a confirmation", async () => {
    await i18n.changeLanguage("es");
    const { client, sent } = fakeApi("OWNER");
    const shown = vi.spyOn(notifications, "show");
    renderWith(<TeamPage />, client);

    const people = await screen.findByRole("region", { name: "Personas" });
    expect(within(people).getByText("3 de 15 personas en tu plan (Enterprise), con las invitaciones pendientes.")).toBeInTheDocument();
    expect(within(people).getByText(/eva@example.com · Administrador/)).toBeInTheDocument();
    expect(screen.getByText(/invitó a · eva@example.com · ADMIN/)).toBeInTheDocument();
    // The owner picks roles; the owner's own row has no remove button.
    expect(screen.getByRole("textbox", { name: "Rol de Luis Agente" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Quitar a Ana Broker" })).not.toBeInTheDocument();

    await userEvent.type(screen.getByLabelText(/Correo electrónico/), "zoe@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Enviar invitación" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].query).toContain("inviteUser");
    expect(sent[0].variables).toEqual({ input: { email: "zoe@example.com", role: "AGENT" } });

    await userEvent.click(screen.getByRole("button", { name: "Quitar a Luis Agente" }));
    expect(sent).toHaveLength(1); // asks first
    await userEvent.click(screen.getByRole("button", { name: "Sí, quitar" }));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1].variables).toEqual({ userId: "u2" });
    await waitFor(() =>
      expect(shown).toHaveBeenCalledWith(
        expect.objectContaining({ message: "Luis Agente ya no está en el equipo: 4 leads volvieron al reparto." }),
      ),
    );

    await userEvent.click(screen.getByText("Agente de la propiedad"));
    await waitFor(() => expect(sent).toHaveLength(3));
    expect(sent[2].variables).toEqual({ routing: "LISTING_AGENT" });
  });

  it("an admin sees roles and routing but does not change them, and cannot invite an owner", async () => {
    await i18n.changeLanguage("es");
    const { client } = fakeApi("ADMIN");
    renderWith(<TeamPage />, client);
    await screen.findByRole("region", { name: "Personas" });
    expect(screen.queryByRole("textbox", { name: "Rol de Luis Agente" })).not.toBeInTheDocument();
    expect(screen.getByText("Solo el dueño cambia esto.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("textbox", { name: "Rol" }));
    expect(screen.queryByRole("option", { name: "Dueño" })).not.toBeInTheDocument();
    expect(screen.getByRole("option", { name: "Agente" })).toBeInTheDocument();
  });

  it("words an audit entry's detail", () => {
    expect(auditDetail({ name: "Luis", before: "AGENT", after: "ADMIN" })).toBe("Luis · AGENT → ADMIN");
    expect(auditDetail({ before: 1, after: 2 })).toBe("");
    expect(auditDetail(null)).toBe("");
  });
});

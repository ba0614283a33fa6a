import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { print } from "graphql";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";
import type { Client } from "urql";
import i18n from "../i18n";
import { AuthProvider } from "../lib/auth";
import { renderWith } from "../test/render";
import { AcceptInvitationPage } from "./AcceptInvitationPage";

describe("Accepting an invitation", () => {
  it("sends the link's token with the chosen name and password and signs in", async () => {
    await i18n.changeLanguage("es");
    const sent: { query: string; variables: unknown }[] = [];
    const client = {
      executeQuery: vi.fn(),
      executeSubscription: vi.fn(),
      executeMutation: vi.fn((request: { query: Parameters<typeof print>[0]; variables: unknown }) => {
        sent.push({ query: print(request.query), variables: request.variables });
        return fromValue({
          data: {
            acceptInvitation: {
              __typename: "AuthPayload",
              token: "session-token",
              user: { __typename: "User", id: "VXNlcjoy", name: "Luis" },
            },
          },
          stale: false,
          hasNext: false,
        });
      }),
    } as unknown as Client;
    renderWith(
      <AuthProvider>
        <Routes>
          <Route path="/invitations/:token" element={<AcceptInvitationPage />} />
          <Route path="/" element={<p>inicio</p>} />
        </Routes>
      </AuthProvider>,
      client,
      "/invitations/the-token",
    );

    expect(await screen.findByText("Únete a tu equipo")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/Tu nombre/), "Luis");
    await userEvent.type(screen.getByLabelText(/Contraseña/), "agent password 1");
    await userEvent.click(screen.getByRole("button", { name: "Aceptar e iniciar sesión" }));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].query).toContain("acceptInvitation");
    expect(sent[0].variables).toEqual({
      input: { token: "the-token", name: "Luis", password: "agent password 1" },
    });
    expect(await screen.findByText("inicio")).toBeInTheDocument();
    expect(localStorage.getItem("brscale.token")).toBe("session-token");
  });
});

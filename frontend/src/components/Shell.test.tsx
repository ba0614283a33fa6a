import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";
import type { Client } from "urql";
import i18n from "../i18n";
import { AuthProvider } from "../lib/auth";
import { renderWith } from "../test/render";
import { Shell } from "./Shell";

describe("the app's frame", () => {
  it("lets the keyboard skip the header and the menu: the first Tab offers it, Enter lands in the page", async () => {
    await i18n.changeLanguage("es");
    const client = {
      executeQuery: vi.fn(() =>
        fromValue({
          data: {
            me: { __typename: "User", id: "u1", name: "Ana", role: "OWNER" },
            brokerage: { __typename: "Brokerage", id: "b1", name: "Casa Ana", language: "es", paused: false },
          },
          stale: false,
          hasNext: false,
        }),
      ),
    } as unknown as Client;
    renderWith(
      <AuthProvider>
        <Shell />
      </AuthProvider>,
      client,
    );
    await userEvent.tab();
    const skip = screen.getByRole("link", { name: "Saltar al contenido" });
    expect(skip).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    expect(document.getElementById("main-content")).toHaveFocus();
  });
});

import { screen } from "@testing-library/react";
import { GraphQLError } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { CombinedError, type Client } from "urql";
import i18n from "../i18n";
import { renderWith } from "../test/render";
import { PageState } from "./PageState";

describe("a screen whose record cannot be read", () => {
  it("says it is not found (or not yours) in the UI's language and offers Home, not a retry", async () => {
    await i18n.changeLanguage("es");
    const retry = vi.fn();
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError("Conversation not found", { extensions: { code: "NOT_FOUND" } })],
    });
    renderWith(<PageState fetching={false} error={error} retry={retry} />, {} as Client);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("No lo encontramos");
    expect(alert).toHaveTextContent("si es un lead de otro agente, pide que te lo asignen");
    expect(alert).not.toHaveTextContent("Conversation not found");
    expect(screen.getByRole("link", { name: "Ir al inicio" })).toHaveAttribute("href", "/");
    expect(screen.queryByRole("button", { name: "Reintentar" })).not.toBeInTheDocument();
  });

  it("still offers a retry when the server could not be reached", async () => {
    await i18n.changeLanguage("es");
    renderWith(
      <PageState fetching={false} error={new CombinedError({ networkError: new Error("offline") })} retry={() => {}} />,
      {} as Client,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("No pudimos conectar con el servidor");
    expect(screen.getByRole("button", { name: "Reintentar" })).toBeInTheDocument();
  });
});

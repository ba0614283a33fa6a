import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Client } from "urql";
import i18n from "../i18n";
import { renderWith } from "../test/render";
import { MessageBubble, budgetText } from "./ConversationPage";

const sent = {
  __typename: "Message" as const,
  id: "m1",
  direction: "OUTBOUND" as const,
  subject: null,
  status: "SENT" as const,
  intent: null,
  error: null,
  sentAt: "2026-12-08T06:00:00Z",
  createdAt: "2026-12-08T06:00:00Z",
};

describe("a conversation's messages and lead", () => {
  it("says what a text costs in segments, and nothing of the kind for an e-mail", async () => {
    await i18n.changeLanguage("es");
    const client = { executeMutation: vi.fn() } as unknown as Client;
    renderWith(
      <ul>
        <MessageBubble message={{ ...sent, channel: "SMS", body: "Hola, Ana. ¿Te interesa?\nResponde BAJA para no recibir más mensajes", segments: 2 }} onChanged={() => {}} />
        <MessageBubble message={{ ...sent, id: "m2", channel: "EMAIL", body: "Hola, Ana.", segments: null }} onChanged={() => {}} />
      </ul>,
      client,
    );
    expect(screen.getByText(/· 2 segmentos SMS$/)).toBeInTheDocument();
    expect(screen.getAllByText(/segmento/)).toHaveLength(1);
  });

  it("reads a budget with one end as 'hasta' or 'desde', not '… – $5,000,000'", async () => {
    await i18n.changeLanguage("es");
    const t = i18n.t.bind(i18n);
    expect(budgetText(null, 5_000_000, "MXN", t, "es")).toBe("hasta $5,000,000");
    expect(budgetText(3_000_000, null, "MXN", t, "es")).toBe("desde $3,000,000");
    expect(budgetText(3_000_000, 5_000_000, "MXN", t, "es")).toBe("$3,000,000 – $5,000,000");
    await i18n.changeLanguage("en");
    expect(budgetText(null, 5_000_000, "MXN", i18n.t.bind(i18n), "en")).toMatch(/^up to (MX)?\$5,000,000$/);
  });
});

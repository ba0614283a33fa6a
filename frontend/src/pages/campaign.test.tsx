import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";
import type { Client } from "urql";
import i18n from "../i18n";
import { renderWith } from "../test/render";
import { CampaignProgressCard } from "./ListingPage";

describe("a listing's campaign card", () => {
  it("does not count 'waiting' leads by another rule than the board's Esperando beside it", async () => {
    await i18n.changeLanguage("es");
    // Three conversations started: one lead replied (still WAITING for the AI's status), one never did.
    const progress = { __typename: "CampaignProgress", eventId: "9", matches: 3, conversations: 3, started: 3, pending: 0, waiting: 2, qualified: 0, optedOut: 1 };
    const client = {
      executeSubscription: vi.fn(() => fromValue({ data: { campaignProgress: progress }, stale: false, hasNext: false })),
    } as unknown as Client;
    renderWith(<CampaignProgressCard propertyId="UHJvcGVydHk6MQ==" />, client);
    expect(await screen.findByText("3 de 3 conversaciones iniciadas · 3 coincidencias")).toBeInTheDocument();
    expect(screen.getByText("0 por empezar · 0 calificados · 1 bajas")).toBeInTheDocument();
    expect(screen.queryByText(/esperando/i)).not.toBeInTheDocument();
  });
});

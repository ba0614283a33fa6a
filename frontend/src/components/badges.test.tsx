import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Client } from "urql";
import i18n from "../i18n";
import { renderWith } from "../test/render";
import { TemperatureBadge } from "./badges";

describe("TemperatureBadge", () => {
  it("says temperature is the time since contact, not how ready the lead is", async () => {
    await i18n.changeLanguage("es");
    renderWith(<TemperatureBadge temperature="HOT" />, {} as Client);
    await userEvent.hover(screen.getByText("Caliente"));
    expect(await screen.findByText("contacto en los últimos 30 días")).toBeTruthy();
  });

  it("explains cold leads in English", async () => {
    await i18n.changeLanguage("en");
    renderWith(<TemperatureBadge temperature="COLD" />, {} as Client);
    await userEvent.hover(screen.getByText("Cold"));
    expect(await screen.findByText("60+ days, or never")).toBeTruthy();
  });
});

import { DEFAULT_THEME, luminance } from "@mantine/core";
import { describe, expect, it } from "vitest";
import { onWhiteText } from "./theme";

const contrastOnWhiteText = (color: string) => 1.05 / (luminance(color) + 0.05);

describe("the theme's contrast", () => {
  it("darkens a filled color until white text on it reaches AA (4.5:1), and leaves dark ones", () => {
    for (const name of ["orange", "green", "teal", "cyan", "yellow", "grape", "red"]) {
      const shade = DEFAULT_THEME.colors[name][8];
      expect(contrastOnWhiteText(onWhiteText(shade))).toBeGreaterThanOrEqual(4.5);
    }
    expect(onWhiteText("#343a40")).toBe("#343a40");
  });
});

import {
  createTheme,
  darken,
  defaultVariantColorsResolver,
  luminance,
  parseThemeColor,
  TableScrollContainer,
  type CSSVariablesResolver,
  type VariantColorsResolver,
} from "@mantine/core";

/**
 * AA contrast (4.5:1) for the text of "light" badges, buttons and the active menu item: Mantine
 * writes them in the color's middle shade on its pale tint (3.1 to 4.4:1); a darkened 9th shade
 * passes on every tint.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const defaults = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || !input.theme.colors[parsed.color]) return defaults;
  if (input.variant === "light") {
    const text = darken(input.theme.colors[parsed.color][9], 0.3);
    return { ...defaults, color: text, hoverColor: text };
  }
  if (input.variant === "filled" && parsed.shade === undefined) {
    // White text on a filled badge or button: darken orange, green, teal... to 4.5:1.
    const background = onWhiteText(parsed.value);
    if (background !== parsed.value) return { ...defaults, background, hover: darken(background, 0.1) };
  }
  return defaults;
};

/** `color`, darkened until white text on it reaches 4.5:1 (relative luminance at most 0.183). */
export function onWhiteText(color: string): string {
  let result = color;
  for (let step = 1; step <= 8 && luminance(result) > 0.183; step += 1) result = darken(color, step * 0.05);
  return result;
}

export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: 8, // AA contrast for white text on primary buttons
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  headings: { fontWeight: "650" },
  variantColorResolver,
  components: {
    // A table wider than a phone scrolls in its own box: natively, and reachable by keyboard
    // (Tab to it, then the arrows), which a ScrollArea's inner viewport is not.
    TableScrollContainer: TableScrollContainer.extend({
      defaultProps: { type: "native", tabIndex: 0 } as Record<string, unknown>,
    }),
  },
});

/** AA contrast for secondary text and placeholders: Mantine's grays (#868e96, #adb5bd) are 3.3
 * and 2.1:1 on white. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-placeholder": "var(--mantine-color-gray-7)",
    // The active menu item is a "light" primary: same darkened text as the variant above.
    "--mantine-primary-color-light-color": darken(t.colors[t.primaryColor][9], 0.3),
  },
  dark: {},
});

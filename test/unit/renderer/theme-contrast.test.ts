/**
 * WCAG AA contrast (4.5:1 for text) of every filled button and badge, at rest AND under the pointer
 * (hover), in the light and the dark theme, computed from the theme's actual colours: Mantine's own
 * CSS variables for our theme, our cssVariablesResolver on top (as MantineProvider merges them), and
 * Mantine's variant resolver for the text colour it picks (autoContrast). axe in the e2e suite sees
 * only the resting state; this covers hover, and every palette (not only the ones used today), so a
 * new `color=` on a Button or Badge cannot bring a failing pair in. Disabled controls are exempt (WCAG 1.4.3).
 */
import { DEFAULT_THEME, defaultCssVariablesResolver, defaultVariantColorsResolver, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { cssVariablesResolver, theme } from '../../../renderer/src/theme.js';

const merged = mergeMantineTheme(DEFAULT_THEME, theme);
const SCHEMES = ['light', 'dark'] as const;

/** The CSS variables in force in a colour scheme: Mantine's defaults, then ours (later wins, as in MantineProvider). */
function variablesFor(scheme: (typeof SCHEMES)[number]): Record<string, string> {
  const base = defaultCssVariablesResolver(merged);
  const ours = cssVariablesResolver(merged);
  return { ...base.variables, ...base[scheme], ...ours.variables, ...ours[scheme] };
}

/** Follows var(--x) references to a colour value. */
function resolve(value: string, variables: Record<string, string>): string {
  let current = value.trim();
  for (let depth = 0; depth < 10; depth += 1) {
    const match = /^var\((--[\w-]+)\)$/u.exec(current);
    if (!match) return current;
    const next = variables[match[1] as string];
    if (next === undefined) throw new Error(`undefined CSS variable ${match[1]}`);
    current = next.trim();
  }
  throw new Error(`CSS variable loop at ${value}`);
}

function channels(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/iu.exec(hex);
  if (!m) throw new Error(`not a hex colour: ${hex}`);
  const digits = (m[1] as string).length === 3 ? [...(m[1] as string)].map((d) => d + d).join('') : (m[1] as string);
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16) / 255) as [number, number, number];
}

/** WCAG 2.x relative luminance. */
function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('theme contrast of filled buttons and badges', () => {
  it('computes WCAG contrast as the standard does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#c92a2a', '#000')).toBeCloseTo(3.85, 2);
  });

  const cases = SCHEMES.flatMap((scheme) => Object.keys(merged.colors).map((color) => ({ scheme, color })));
  it.each(cases)('$color in the $scheme theme: text on the filled colour at rest and on hover is at least 4.5:1', ({ scheme, color }) => {
    const variables = variablesFor(scheme);
    const colours = defaultVariantColorsResolver({ color, theme: merged, variant: 'filled' });
    const text = resolve(colours.color, variables);
    for (const [state, background] of [
      ['rest', colours.background],
      ['hover', colours.hover],
    ] as const) {
      const fill = resolve(background, variables);
      const ratio = contrastRatio(text, fill);
      expect(ratio, `${color} ${state} (${scheme}): ${text} on ${fill} is ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('covers the primary colour (a Button or Badge without a colour) at rest and on hover', () => {
    for (const scheme of SCHEMES) {
      const variables = variablesFor(scheme);
      const colours = defaultVariantColorsResolver({ color: merged.primaryColor, theme: merged, variant: 'filled' });
      const text = resolve(colours.color, variables);
      expect(resolve('var(--mantine-primary-color-filled)', variables)).toBe(resolve(colours.background, variables));
      const hover = resolve('var(--mantine-primary-color-filled-hover)', variables);
      expect(contrastRatio(text, hover), `primary hover (${scheme}): ${text} on ${hover}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

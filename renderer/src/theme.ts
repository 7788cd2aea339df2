/**
 * One theme for light and dark; the scheme follows the OS until the operator picks one. Colours are
 * chosen for WCAG AA contrast (4.5:1 for text), which the e2e suite checks with axe on every view:
 * - filled buttons and badges take shade 8 and, with autoContrast at the WCAG luminance midpoint
 *   (0.179), black or white text, whichever contrasts more (always at least 4.58:1);
 * - on hover Mantine darkens a filled colour to shade 9 but keeps its text: black on red.9 is 3.85:1
 *   (cyan.9 3.76, teal.9 4.20). A colour whose text is black therefore lightens to shade 7 on hover
 *   instead (black gains contrast); one whose text is white darkens to shade 9 as before
 *   (test/unit/renderer/theme-contrast.test.ts checks every palette, state and scheme);
 * - "dimmed" text is gray.7 (light) and dark.1 (dark) instead of Mantine's gray.6/dark.2 (3.3:1, 4.0:1);
 * - light-variant alerts and badges write their text in the body colour on the tinted background
 *   (Mantine's green.6 or yellow.9 on a pale tint is under 3:1); the status icon carries the colour;
 * - every Alert shows its tone's icon (status.css), so its status is never colour alone.
 */
import { Alert, createTheme, type CSSVariablesResolver, DEFAULT_THEME, isLightColor, type MantineTheme } from '@mantine/core';
import type { StatusTone } from './components/StatusIcon.js';
import './status.css';
import './zoom.css';

/** The status an Alert's colour stands for; its icon (status.css) says it in shape. */
const ALERT_TONE: Readonly<Record<string, StatusTone>> = { green: 'pass', red: 'fail', yellow: 'warn', orange: 'warn', blue: 'info', gray: 'neutral' };

/** Filled buttons and badges (and the primary colour) use this shade in both schemes. */
const FILLED_SHADE = 8;

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: FILLED_SHADE, dark: FILLED_SHADE },
  autoContrast: true,
  luminanceThreshold: 0.179,
  // Focus rings for keyboard users (focus-visible), not on every mouse click.
  focusRing: 'auto',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, monospace',
  components: {
    // Every alert without an icon of its own gets its tone's icon: status is never colour alone.
    Alert: Alert.extend({
      classNames: (_theme, props) => (props.icon ? {} : { wrapper: `airlock-alert-wrapper airlock-tone-${ALERT_TONE[props.color ?? 'blue'] ?? 'info'}` }),
    }),
  },
});

const PALETTES = Object.keys(DEFAULT_THEME.colors);

/** The hover shade of each filled colour, away from its text colour: lighter under black text, darker under white. */
function filledHoverVariables(t: MantineTheme): Record<string, string> {
  return Object.fromEntries(
    PALETTES.map((name) => {
      const filled = t.colors[name]?.[FILLED_SHADE] ?? '#000';
      const shade = isLightColor(filled, t.luminanceThreshold) ? FILLED_SHADE - 1 : FILLED_SHADE + 1;
      return [`--mantine-color-${name}-filled-hover`, `var(--mantine-color-${name}-${shade})`];
    }),
  );
}

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    ...filledHoverVariables(t),
    '--mantine-color-dimmed': t.colors.gray[7] ?? '#495057',
    ...Object.fromEntries(PALETTES.map((name) => [`--mantine-color-${name}-light-color`, 'var(--mantine-color-black)'])),
  },
  dark: {
    ...filledHoverVariables(t),
    '--mantine-color-dimmed': t.colors.dark[1] ?? '#b8b8b8',
  },
});

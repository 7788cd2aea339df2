/**
 * One theme for light and dark; the scheme follows the OS until the operator picks one. Colours are
 * chosen for WCAG AA contrast (4.5:1 for text), which the e2e suite checks with axe on every view:
 * - filled buttons and badges take shade 8 and, with autoContrast at the WCAG luminance midpoint
 *   (0.179), black or white text, whichever contrasts more (always at least 4.58:1);
 * - "dimmed" text is gray.7 (light) and dark.1 (dark) instead of Mantine's gray.6/dark.2 (3.3:1, 4.0:1);
 * - light-variant alerts and badges write their text in the body colour on the tinted background
 *   (Mantine's green.6 or yellow.9 on a pale tint is under 3:1); the status icon carries the colour;
 * - every Alert shows its tone's icon (status.css), so its status is never colour alone.
 */
import { Alert, createTheme, type CSSVariablesResolver, DEFAULT_THEME } from '@mantine/core';
import type { StatusTone } from './components/StatusIcon.js';
import './status.css';
import './zoom.css';

/** The status an Alert's colour stands for; its icon (status.css) says it in shape. */
const ALERT_TONE: Readonly<Record<string, StatusTone>> = { green: 'pass', red: 'fail', yellow: 'warn', orange: 'warn', blue: 'info', gray: 'neutral' };

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
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

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7] ?? '#495057',
    ...Object.fromEntries(PALETTES.map((name) => [`--mantine-color-${name}-light-color`, 'var(--mantine-color-black)'])),
  },
  dark: {
    '--mantine-color-dimmed': t.colors.dark[1] ?? '#b8b8b8',
  },
});

/** One theme for light and dark; the scheme follows the OS until the operator picks one. */
import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  // Focus rings for keyboard users (focus-visible), not on every mouse click.
  focusRing: 'auto',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, monospace',
});

/**
 * Whether the app is still in its first render (the page load). Then no step heading takes the
 * focus: it stays at the start of the page, so the first Tab stop is the skip link (App.tsx), as
 * on any page. Outside the app shell (a flow rendered alone) every step heading takes it.
 */
import { createContext, useContext } from 'react';

export const PageLoadContext = createContext<() => boolean>(() => false);

/** True while the app shell's first render is being committed. */
export function useIsPageLoad(): () => boolean {
  return useContext(PageLoadContext);
}

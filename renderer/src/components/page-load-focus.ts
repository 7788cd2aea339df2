/**
 * Whether the app is still loading: nothing pressed yet since the page was opened (App.tsx). Then
 * no step heading takes the focus: it stays at the start of the page, so the first Tab stop is the
 * skip link, as on any page. Outside the app shell (a flow rendered alone) every step heading takes it.
 */
import { createContext, useContext } from 'react';

export const PageLoadContext = createContext<() => boolean>(() => false);

/** True until the operator first presses a key or the pointer in the app shell. */
export function useIsPageLoad(): () => boolean {
  return useContext(PageLoadContext);
}

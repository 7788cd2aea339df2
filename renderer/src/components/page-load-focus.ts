/**
 * Whether the app is still loading: nothing pressed yet since the page was opened. Then no step
 * heading takes the focus: it stays at the start of the page, so the first Tab stop is the skip
 * link, as on any web page (WCAG 2.4.1 bypass blocks, 2.4.3 focus order), and a screen reader
 * starts reading at the top. After the first key or pointer press every new step takes the focus
 * on its heading (StepHeader). Outside the app shell (a flow rendered alone) every step heading takes it.
 *
 * The page load belongs to the document, not to a React component: main.tsx starts it once, before
 * React renders, and nothing but a press ends it. React's StrictMode (which unmounts and mounts
 * every effect once in a development build, and the e2e suite's build is one) or a real remount of
 * the App can therefore neither end it early nor start it again.
 */
import { createContext, useContext } from 'react';

export interface PageLoad {
  /** True until the operator first presses a key or the pointer in the page. */
  readonly isPageLoad: () => boolean;
}

/** Starts watching for the first press in `target` (the window); the listeners go with that press. */
export function startPageLoad(target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>): PageLoad {
  let loading = true;
  const end = () => {
    loading = false;
    target.removeEventListener('keydown', end, true);
    target.removeEventListener('pointerdown', end, true);
  };
  target.addEventListener('keydown', end, true);
  target.addEventListener('pointerdown', end, true);
  return { isPageLoad: () => loading };
}

export const PageLoadContext = createContext<() => boolean>(() => false);

/** True until the operator first presses a key or the pointer in the app shell. */
export function useIsPageLoad(): () => boolean {
  return useContext(PageLoadContext);
}

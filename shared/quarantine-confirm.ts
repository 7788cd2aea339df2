/**
 * The typed confirmation of a quarantine release or purge: the operator types the bundle's name
 * as the app shows it. A name may hold characters no one can type (a bidi override, a control
 * character): the app shows those as visible `\u` escapes (displayText), and that shown form is
 * what is typed. The renderer enables the button with this check; main checks it again before
 * anything happens, so a page that skips the form still cannot release.
 */
import { displayText } from './display-text.js';

export function confirmsBundleName(typed: string, bundleName: string): boolean {
  const t = typed.trim();
  return t.length > 0 && (t === displayText(bundleName) || t === bundleName);
}

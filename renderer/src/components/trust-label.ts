/**
 * A trust label as the app shows it. The engine labels the station's own key "this station" in the
 * trust store (core keys/station-key.ts, role `station`): that label is the app's own words, so it
 * is shown in the app's language (a German station read "this station" on its signer card). Every
 * other label is what an operator typed when trusting a key and is shown as typed.
 */
import { displayText } from '../../../shared/display-text.js';
import type { Translate } from '../i18n/useT.js';

/** The label core gives the station key when it is created. */
export const STATION_KEY_LABEL = 'this station';

export function shownTrustLabel(label: string, role: string | null, t: Translate): string {
  return role === 'station' && label === STATION_KEY_LABEL ? t('keys.role.station') : displayText(label);
}

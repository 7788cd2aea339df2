/**
 * The app's locales: the station languages (shared/language.ts) and "en-XA", the pseudo-locale the
 * end-to-end test runs in to find text that does not come from the catalogue (docs/i18n.md).
 */
import { STATION_LANGUAGES, type StationLanguage } from '../../../shared/language.js';

export const PSEUDO_LOCALE = 'en-XA';
export type AppLocale = StationLanguage | typeof PSEUDO_LOCALE;

/** The BCP 47 tag dates and numbers are formatted with: en as the app always showed them (1,234.5), de as Germans write them (1.234,5). */
export const FORMAT_LOCALE: { readonly [L in AppLocale]: string } = {
  en: 'en-US',
  de: 'de-DE',
  'en-XA': 'en-US',
};

/** What the language switch offers, each in its own language (an operator who reads only one finds it). */
export const LANGUAGE_NAMES: { readonly [L in StationLanguage]: string } = {
  en: 'English',
  de: 'Deutsch',
};

export function isStationLanguage(value: unknown): value is StationLanguage {
  return typeof value === 'string' && (STATION_LANGUAGES as readonly string[]).includes(value);
}

/**
 * The pseudo-locale is a test hook, asked for in the page address (`?locale=en-XA`): the app
 * itself is always loaded without a query, so an operator never meets it.
 */
export function pseudoLocaleRequested(search: string): boolean {
  return new URLSearchParams(search).get('locale') === PSEUDO_LOCALE;
}

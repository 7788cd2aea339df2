/** The languages a station can be set to (config.json `language`, default "en"): its receipts are written in it (issue #19). */
export const STATION_LANGUAGES = ['en', 'de'] as const;
export type StationLanguage = (typeof STATION_LANGUAGES)[number];
export const DEFAULT_STATION_LANGUAGE: StationLanguage = 'en';

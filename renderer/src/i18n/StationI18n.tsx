/**
 * Starts the app in the station's language: config.json `language` as main reports it
 * (getSettings), not the OS's LANG or the browser's language. Nothing is drawn until the answer
 * is in, so a German station never flashes English; when the station cannot say (a broken
 * home), the default language applies and the views show the error themselves.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { AirlockApi } from '../../../shared/airlock-api.js';
import { DEFAULT_STATION_LANGUAGE } from '../../../shared/language.js';
import { call } from '../api.js';
import { I18nRoot } from './I18nRoot.js';
import { PSEUDO_LOCALE, type AppLocale } from './locales.js';

export function StationI18n({ api, pseudo = false, children }: { api: AirlockApi; pseudo?: boolean; children: ReactNode }) {
  const [initial, setInitial] = useState<AppLocale | null>(pseudo ? PSEUDO_LOCALE : null);
  useEffect(() => {
    if (pseudo) return;
    let live = true;
    call(api, 'getSettings', {}).then(
      (settings) => live && setInitial(settings.language.effective),
      () => live && setInitial(DEFAULT_STATION_LANGUAGE),
    );
    return () => {
      live = false;
    };
  }, [api, pseudo]);
  if (initial === null) return null;
  return <I18nRoot initial={initial}>{children}</I18nRoot>;
}

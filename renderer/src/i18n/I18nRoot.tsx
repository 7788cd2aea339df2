/**
 * The app's language at run time: react-intl's IntlProvider with the catalogue of the current
 * locale, and a context through which Settings switches it. Switching re-renders the whole app in
 * the new language at once: no restart, nothing lost (every section keeps its state).
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import type { StationLanguage } from '../../../shared/language.js';
import { FORMAT_LOCALE, PSEUDO_LOCALE, type AppLocale } from './locales.js';
import { messagesFor } from './messages.js';

interface LanguageState {
  locale: AppLocale;
  /** Show the app in this language from now on (the pseudo-locale, a test run, stays as it is). */
  setLanguage: (language: StationLanguage) => void;
}

const LanguageContext = createContext<LanguageState>({ locale: 'en', setLanguage: () => undefined });

export function useLanguage(): LanguageState {
  return useContext(LanguageContext);
}

export function I18nRoot({ initial, children }: { initial: AppLocale; children: ReactNode }) {
  const [locale, setLocale] = useState<AppLocale>(initial);
  const messages = useMemo(() => messagesFor(locale), [locale]);
  const state = useMemo<LanguageState>(
    () => ({ locale, setLanguage: (language) => setLocale((current) => (current === PSEUDO_LOCALE ? current : language)) }),
    [locale],
  );
  useEffect(() => {
    // Screen readers pick their voice from the page's language.
    document.documentElement.lang = locale === PSEUDO_LOCALE ? 'en' : locale;
  }, [locale]);
  return (
    <LanguageContext.Provider value={state}>
      <IntlProvider locale={FORMAT_LOCALE[locale]} defaultLocale="en-US" messages={messages}>
        {children}
      </IntlProvider>
    </LanguageContext.Provider>
  );
}

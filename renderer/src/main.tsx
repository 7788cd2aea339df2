import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api.js';
import { App, NoBridge } from './App.js';
import { startPageLoad } from './components/page-load-focus.js';
import { I18nRoot } from './i18n/I18nRoot.js';
import { pseudoLocaleRequested } from './i18n/locales.js';
import { StationI18n } from './i18n/StationI18n.js';
import { cssVariablesResolver, theme } from './theme.js';

const container = document.getElementById('root');
if (!container) throw new Error('Airlock: #root element missing from index.html');

const api = window.airlock;
// The page load is the document's, started before React renders: no remount can end or restart it (page-load-focus.ts).
const pageLoad = startPageLoad(window);
createRoot(container).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      {api ? (
        <ApiProvider api={api}>
          <StationI18n api={api} pseudo={pseudoLocaleRequested(window.location.search)}>
            <App pageLoad={pageLoad} />
          </StationI18n>
        </ApiProvider>
      ) : (
        <I18nRoot initial="en">
          <NoBridge />
        </I18nRoot>
      )}
    </MantineProvider>
  </StrictMode>,
);

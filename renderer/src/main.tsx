import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api.js';
import { App, NoBridge } from './App.js';
import { cssVariablesResolver, theme } from './theme.js';

const container = document.getElementById('root');
if (!container) throw new Error('Airlock: #root element missing from index.html');

const api = window.airlock;
createRoot(container).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      {api ? (
        <ApiProvider api={api}>
          <App />
        </ApiProvider>
      ) : (
        <NoBridge />
      )}
    </MantineProvider>
  </StrictMode>,
);

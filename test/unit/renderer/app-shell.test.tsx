// @vitest-environment jsdom
/** The shell: sections by keyboard, the theme switch, Audit and Settings loading when shown, every control named, running jobs. */
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../../renderer/src/api.js';
import { App } from '../../../renderer/src/App.js';
import { PageLoadContext, startPageLoad } from '../../../renderer/src/components/page-load-focus.js';
import { StepHeader } from '../../../renderer/src/components/StepHeader.js';
import { I18nRoot } from '../../../renderer/src/i18n/I18nRoot.js';
import { theme } from '../../../renderer/src/theme.js';
import { auditEvents, chainIntact, finishedJob, running, settings, status } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const fake = () =>
  fakeApi({
    stationStatus: status,
    listTrusted: { signers: [] },
    listAudit: { events: auditEvents, hasMore: false },
    startVerifyAudit: { jobId: 'audit-1' },
    getJob: finishedJob('audit-1', 'audit-verify', chainIntact),
    getSettings: settings,
  });
const visibleSection = () => document.querySelector('main section:not([hidden])');

describe('app shell', () => {
  it('moves between sections with the keyboard only', async () => {
    const user = userEvent.setup();
    renderWithApi(<App />, fake());
    expect(visibleSection()?.getAttribute('aria-label')).toBe('Export');
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    const keys = within(nav).getByRole('button', { name: /^Keys/ });
    keys.focus();
    await user.keyboard('{Enter}');
    expect(visibleSection()?.getAttribute('aria-label')).toBe('Keys');
    expect(keys.getAttribute('aria-current')).toBe('page');
    // The focus went to the section's heading (a screen reader says where the operator is).
    expect(document.activeElement).toBe(within(visibleSection() as HTMLElement).getByRole('heading', { level: 2, name: 'Keys' }));
    keys.focus();
    await user.tab({ shift: true });
    await user.keyboard(' ');
    expect(visibleSection()?.getAttribute('aria-label')).toBe('Quarantine');
    within(nav)
      .getByRole('button', { name: /^Quarantine/ })
      .focus();
    await user.tab({ shift: true });
    await user.keyboard(' ');
    expect(visibleSection()?.getAttribute('aria-label')).toBe('Verify');
  });

  it('has a skip link as the first Tab stop that moves the focus to the visible section heading', async () => {
    const user = userEvent.setup();
    renderWithApi(<App />, fake());
    await user.tab();
    const skip = screen.getByRole('link', { name: 'Skip to main content' });
    expect(document.activeElement).toBe(skip);
    await user.keyboard('{Enter}');
    const heading = within(visibleSection() as HTMLElement).getAllByRole('heading', { level: 2 })[0];
    expect(document.activeElement).toBe(heading);
    // In another section it goes to that section's heading, never to a hidden one.
    within(screen.getByRole('navigation', { name: 'Sections' }))
      .getByRole('button', { name: /^Keys/ })
      .click();
    skip.focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(within(visibleSection() as HTMLElement).getByRole('heading', { level: 2, name: 'Keys' }));
  });

  it('keeps the page load through StrictMode and a remount: the skip link stays the first Tab stop, then new steps take the focus', async () => {
    const user = userEvent.setup();
    const pageLoad = startPageLoad(window);
    const api = fake();
    // StrictMode unmounts and mounts every effect once (the e2e suite's build runs it too); a new key remounts the App.
    const view = renderWithApi(
      <StrictMode>
        <App key="first" pageLoad={pageLoad} />
      </StrictMode>,
      api,
    );
    await screen.findByRole('heading', { level: 2, name: 'Choose what to send' });
    view.rerender(
      <MantineProvider theme={theme} defaultColorScheme="light">
        <ApiProvider api={api.api}>
          <I18nRoot initial="en">
            <StrictMode>
              <App key="second" pageLoad={pageLoad} />
            </StrictMode>
          </I18nRoot>
        </ApiProvider>
      </MantineProvider>,
    );
    const first = await screen.findByRole('heading', { level: 2, name: 'Choose what to send' });
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(document.activeElement).toBe(document.body);
    expect(pageLoad.isPageLoad()).toBe(true);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Skip to main content' }));
    expect(pageLoad.isPageLoad()).toBe(false);
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(first);
    // After the page load the shell moves the focus again (a section's heading here; a new step's: the next test).
    within(screen.getByRole('navigation', { name: 'Sections' }))
      .getByRole('button', { name: /^Keys/ })
      .focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(within(visibleSection() as HTMLElement).getByRole('heading', { level: 2, name: 'Keys' }));
  });

  it('a step shown during the page load leaves the focus alone; the next step after a press takes it', async () => {
    const pageLoad = startPageLoad(window);
    const header = (step: number) => (
      <PageLoadContext.Provider value={pageLoad.isPageLoad}>
        <StepHeader flow="Export" step={step} of={3} title={`Step ${step}`} happens="Something happens." />
      </PageLoadContext.Provider>
    );
    const view = renderWithApi(<StrictMode>{header(1)}</StrictMode>, fake());
    expect(document.activeElement).toBe(document.body);
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab' }));
    });
    expect(pageLoad.isPageLoad()).toBe(false);
    view.rerender(
      <MantineProvider theme={theme} defaultColorScheme="light">
        <ApiProvider api={fake().api}>
          <I18nRoot initial="en">
            <StrictMode>{header(2)}</StrictMode>
          </I18nRoot>
        </ApiProvider>
      </MantineProvider>,
    );
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Step 2' }));
  });

  it('loads the audit log and the settings from the station when their sections are shown', async () => {
    const user = userEvent.setup();
    const api = fake();
    renderWithApi(<App />, api);
    expect(api.callsTo('listAudit')).toEqual([]);
    expect(api.callsTo('getSettings')).toEqual([]);
    await user.click(screen.getByRole('button', { name: /^Audit log/ }));
    const audit = visibleSection() as HTMLElement;
    expect(await within(audit).findByRole('table', { name: 'Audit events' })).toBeTruthy();
    expect(audit.textContent).not.toContain('Coming soon');
    await user.click(screen.getByRole('button', { name: /^Settings/ }));
    const settingsSection = visibleSection() as HTMLElement;
    expect(await within(settingsSection).findByRole('form', { name: 'Station settings' })).toBeTruthy();
    expect(settingsSection.textContent).toContain(status.home);
    expect(settingsSection.textContent).not.toContain('Coming soon');
  });

  it('switches between system, light and dark themes', async () => {
    const user = userEvent.setup();
    renderWithApi(<App />, fake());
    const group = screen.getByRole('radiogroup', { name: 'Colour theme' });
    await user.click(within(group).getByLabelText('Dark'));
    expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('dark');
    await user.click(within(group).getByLabelText('Light'));
    expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('light');
  });

  it('names every button, input and link', () => {
    renderWithApi(<App />, fake());
    const controls = [...document.querySelectorAll('button, input, select, textarea, a[href]')];
    expect(controls.length).toBeGreaterThan(5);
    for (const control of controls) {
      const id = control.getAttribute('id');
      const name =
        control.getAttribute('aria-label') ??
        (id ? document.querySelector(`label[for="${id}"]`)?.textContent : null) ??
        control.closest('label')?.textContent ??
        control.textContent;
      expect(name?.trim(), control.outerHTML.slice(0, 120)).toBeTruthy();
    }
  });
});

describe('running jobs panel', () => {
  it('lists running jobs from main, follows their progress, cancels, and drops finished ones', async () => {
    const job = { ...running('job-7', 'export'), subject: '/media/usb' };
    const fake = fakeApi({
      stationStatus: status,
      listTrusted: { signers: [] },
      listJobs: { jobs: [job, finishedJob('job-6', 'verify', null)] },
      cancelJob: { cancelling: true },
    });
    const user = userEvent.setup();
    renderWithApi(<App />, fake);
    const panel = await screen.findByRole('region', { name: 'Running jobs' });
    expect(panel.textContent).toContain('Export: usb');
    expect(panel.textContent).not.toContain('Verify');
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-7',
        progress: { phase: 'hashing', bytesDone: 30, bytesTotal: 100, filesDone: 0, filesTotal: 1, rateBytesPerSecond: null, etaSeconds: null },
      }),
    );
    expect(within(panel).getByRole('progressbar').getAttribute('aria-label')).toBe('Export usb, 30 percent');
    // Once its bundle is published the export only writes receipts: no Cancel (nothing left to undo).
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-7',
        progress: { phase: 'writing-receipts', bytesDone: 0, bytesTotal: null, filesDone: 1, filesTotal: 1, rateBytesPerSecond: null, etaSeconds: null },
      }),
    );
    expect(within(panel).queryByRole('button', { name: 'Cancel export of usb' })).toBeNull();
    // Nor in the other phase past a commit point (an import's settling): the panel asks shared/progress.ts, not a list of its own.
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-7',
        progress: { phase: 'settling', bytesDone: 0, bytesTotal: null, filesDone: 1, filesTotal: 1, rateBytesPerSecond: null, etaSeconds: null },
      }),
    );
    expect(within(panel).queryByRole('button', { name: 'Cancel export of usb' })).toBeNull();
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-7',
        progress: { phase: 'hashing', bytesDone: 30, bytesTotal: 100, filesDone: 0, filesTotal: 1, rateBytesPerSecond: null, etaSeconds: null },
      }),
    );
    await user.click(within(panel).getByRole('button', { name: 'Cancel export of usb' }));
    expect(fake.callsTo('cancelJob')).toEqual([{ jobId: 'job-7' }]);
    act(() => fake.emit({ type: 'finished', job: finishedJob('job-7', 'export', null, { code: 'CANCELLED', message: 'cancelled' }) }));
    expect(screen.queryByRole('region', { name: 'Running jobs' })).toBeNull();
  });
});

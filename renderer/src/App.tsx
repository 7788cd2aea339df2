/**
 * The app shell: navigation between the flows (export, import, verify) and the views (inbox, channels, quarantine,
 * keys, audit, settings), and the light/dark switch. Every section stays mounted while hidden, so a
 * running export keeps its screen when the operator looks at something else.
 */
import { AppShell, Group, NavLink, SegmentedControl, Stack, Text, Title, useMantineColorScheme } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { JobsPanel } from './components/JobsPanel.js';
import { PageLoadContext, startPageLoad, type PageLoad } from './components/page-load-focus.js';
import { useT } from './i18n/useT.js';
import { ExportFlow } from './flows/export/ExportFlow.js';
import { ImportFlow } from './flows/import/ImportFlow.js';
import { VerifyFlow } from './flows/verify/VerifyFlow.js';
import './shell.css';
import { AuditView } from './views/AuditView.js';
import { ChannelsView } from './views/channels/ChannelsView.js';
import { InboxView } from './views/inbox/InboxView.js';
import { KeysView } from './views/KeysView.js';
import { QuarantineView } from './views/quarantine/QuarantineView.js';
import { SettingsView } from './views/SettingsView.js';
import { StagedExportsView } from './views/staged/StagedExportsView.js';

export type Section = 'export' | 'staged' | 'import' | 'inbox' | 'channels' | 'verify' | 'quarantine' | 'keys' | 'audit' | 'settings';

const SECTIONS: readonly Section[] = ['export', 'staged', 'import', 'inbox', 'channels', 'verify', 'quarantine', 'keys', 'audit', 'settings'];

function ThemeSwitch() {
  const t = useT();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('app.theme')}
      value={colorScheme}
      onChange={(value) => setColorScheme(value)}
      data={[
        { value: 'auto', label: t('app.theme.auto') },
        { value: 'light', label: t('app.theme.light') },
        { value: 'dark', label: t('app.theme.dark') },
      ]}
    />
  );
}

/**
 * When the operator picks a section (or a flow sends them to one), the focus goes to that section's
 * heading (its current step's, in a flow), so a screen reader announces where they are and Tab
 * starts there. Not on the first render: at the page load the focus stays at the start of the page,
 * so the first Tab stop is the skip link (page-load-focus.ts).
 */
function useSectionFocus(section: Section, request: number): void {
  useEffect(() => {
    if (request === 0) return;
    focusHeading(`main section[data-section="${section}"] h2`);
  }, [section, request]);
}

/** Moves the focus to a heading (made focusable by script only: it is no Tab stop); false when there is none. */
function focusHeading(selector: string): boolean {
  const heading = document.querySelector<HTMLElement>(selector);
  if (!heading) return false;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus();
  return true;
}

/**
 * The first Tab stop: past the header and the navigation to the visible section's heading (its
 * current step's, in a flow), where a screen reader then reads on. Shown only while focused (shell.css).
 */
function SkipLink() {
  const t = useT();
  return (
    <a
      href="#main-content"
      className="airlock-skip-link"
      onClick={(event) => {
        event.preventDefault();
        if (!focusHeading('main section:not([hidden]) h2')) document.getElementById('main-content')?.focus();
      }}
    >
      {t('app.skipToMain')}
    </a>
  );
}

export function App({ initial = 'export', pageLoad }: { initial?: Section; pageLoad?: PageLoad }) {
  const t = useT();
  const [section, setShown] = useState<Section>(initial);
  const [focusRequest, setFocusRequest] = useState(0);
  useSectionFocus(section, focusRequest);
  // The page load lasts until the operator first presses a key or the pointer: steps that appear
  // before (also once the station's status has loaded) leave the focus at the page's start. main.tsx
  // hands in the document's one page load; without it (a test rendering the shell) this App starts its own.
  const [ownPageLoad] = useState(() => pageLoad ?? startPageLoad(window));
  const isPageLoad = ownPageLoad.isPageLoad;
  const setSection = (next: Section) => {
    setShown(next);
    setFocusRequest((n) => n + 1);
  };
  const label = (s: Section) => t(`app.section.${s}`);
  const panes: Record<Section, ReactNode> = {
    export: <ExportFlow onOpenKeys={() => setSection('keys')} onOpenStaged={() => setSection('staged')} />,
    staged: <StagedExportsView active={section === 'staged'} />,
    import: <ImportFlow onOpenQuarantine={() => setSection('quarantine')} />,
    inbox: <InboxView active={section === 'inbox'} />,
    channels: <ChannelsView />,
    verify: <VerifyFlow />,
    quarantine: <QuarantineView active={section === 'quarantine'} />,
    keys: <KeysView />,
    audit: <AuditView active={section === 'audit'} />,
    settings: <SettingsView active={section === 'settings'} />,
  };
  return (
    <PageLoadContext.Provider value={isPageLoad}>
      <SkipLink />
      {/* Below `sm` (200% zoom) the navigation is a narrow rail of names, so the view keeps its width (shell.css). */}
      <AppShell header={{ height: 56 }} navbar={{ width: { base: 150, sm: 240 }, breakpoint: 0 }} padding={{ base: 'sm', sm: 'lg' }}>
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Title order={1} fz="lg">
              {t('app.title')}
            </Title>
            <ThemeSwitch />
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('app.sections')} className="airlock-nav">
          <Stack gap={2}>
            {SECTIONS.map((s) => (
              <NavLink
                key={s}
                component="button"
                label={label(s)}
                description={t(`app.section.${s}.description`)}
                active={section === s}
                aria-current={section === s ? 'page' : undefined}
                onClick={() => setSection(s)}
              />
            ))}
          </Stack>
          <Stack mt="lg" px="xs">
            <JobsPanel />
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main id="main-content" tabIndex={-1}>
          {SECTIONS.map((s) => (
            <section key={s} hidden={section !== s} aria-label={label(s)} data-section={s} style={{ maxWidth: 960 }}>
              {panes[s]}
            </section>
          ))}
        </AppShell.Main>
      </AppShell>
    </PageLoadContext.Provider>
  );
}

/** Shown when the page is opened outside Airlock (no preload): nothing here can work. */
export function NoBridge() {
  const t = useT();
  return (
    <Stack p="xl" maw={640}>
      <Title order={1}>{t('app.title')}</Title>
      <Text>{t('app.noBridge')}</Text>
    </Stack>
  );
}

/**
 * The app shell: navigation between the flows (export, import, verify) and the views (inbox, quarantine,
 * keys, audit, settings), and the light/dark switch. Every section stays mounted while hidden, so a
 * running export keeps its screen when the operator looks at something else.
 */
import { AppShell, Group, NavLink, SegmentedControl, Stack, Text, Title, useMantineColorScheme } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { JobsPanel } from './components/JobsPanel.js';
import { ExportFlow } from './flows/export/ExportFlow.js';
import { ImportFlow } from './flows/import/ImportFlow.js';
import { VerifyFlow } from './flows/verify/VerifyFlow.js';
import { AuditView } from './views/AuditView.js';
import { InboxView } from './views/inbox/InboxView.js';
import { KeysView } from './views/KeysView.js';
import { QuarantineView } from './views/quarantine/QuarantineView.js';
import { SettingsView } from './views/SettingsView.js';

export type Section = 'export' | 'import' | 'inbox' | 'verify' | 'quarantine' | 'keys' | 'audit' | 'settings';

const SECTIONS: Array<{ id: Section; label: string; description: string }> = [
  { id: 'export', label: 'Export', description: 'Send files as a signed bundle' },
  { id: 'import', label: 'Import', description: 'Verify and bring files in' },
  { id: 'inbox', label: 'Inbox', description: 'Watched inbox, channels, SIEM' },
  { id: 'verify', label: 'Verify', description: 'Check a bundle, import nothing' },
  { id: 'quarantine', label: 'Quarantine', description: 'Bundles inspection refused' },
  { id: 'keys', label: 'Keys', description: 'Station key, trusted signers' },
  { id: 'audit', label: 'Audit log', description: 'What happened here' },
  { id: 'settings', label: 'Settings', description: 'This station' },
];

function ThemeSwitch() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      aria-label="Colour theme"
      value={colorScheme}
      onChange={(value) => setColorScheme(value)}
      data={[
        { value: 'auto', label: 'System' },
        { value: 'light', label: 'Light' },
        { value: 'dark', label: 'Dark' },
      ]}
    />
  );
}

/**
 * When the operator picks a section (or a flow sends them to one), the focus goes to that section's
 * heading (its current step's, in a flow), so a screen reader announces where they are and Tab
 * starts there. Not on the first render: the page load leaves the focus to the first step's heading.
 */
function useSectionFocus(section: Section, request: number): void {
  useEffect(() => {
    if (request === 0) return;
    const heading = document.querySelector<HTMLElement>(`main section[data-section="${section}"] h2`);
    if (!heading) return;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
  }, [section, request]);
}

export function App({ initial = 'export' }: { initial?: Section }) {
  const [section, setShown] = useState<Section>(initial);
  const [focusRequest, setFocusRequest] = useState(0);
  useSectionFocus(section, focusRequest);
  const setSection = (next: Section) => {
    setShown(next);
    setFocusRequest((n) => n + 1);
  };
  const panes: Record<Section, ReactNode> = {
    export: <ExportFlow onOpenKeys={() => setSection('keys')} />,
    import: <ImportFlow onOpenQuarantine={() => setSection('quarantine')} />,
    inbox: <InboxView active={section === 'inbox'} />,
    verify: <VerifyFlow />,
    quarantine: <QuarantineView active={section === 'quarantine'} />,
    keys: <KeysView />,
    audit: <AuditView active={section === 'audit'} />,
    settings: <SettingsView active={section === 'settings'} />,
  };
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} fz="lg">
            Airlock
          </Title>
          <ThemeSwitch />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Sections">
        <Stack gap={2}>
          {SECTIONS.map((s) => (
            <NavLink
              key={s.id}
              component="button"
              label={s.label}
              description={s.description}
              active={section === s.id}
              aria-current={section === s.id ? 'page' : undefined}
              onClick={() => setSection(s.id)}
            />
          ))}
        </Stack>
        <Stack mt="lg" px="xs">
          <JobsPanel />
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        {SECTIONS.map((s) => (
          <section key={s.id} hidden={section !== s.id} aria-label={s.label} data-section={s.id} style={{ maxWidth: 960 }}>
            {panes[s.id]}
          </section>
        ))}
      </AppShell.Main>
    </AppShell>
  );
}

/** Shown when the page is opened outside Airlock (no preload): nothing here can work. */
export function NoBridge() {
  return (
    <Stack p="xl" maw={640}>
      <Title order={1}>Airlock</Title>
      <Text>This page runs inside the Airlock desktop app only. The command-line interface works everywhere: run npx airlock --help.</Text>
    </Stack>
  );
}

/**
 * The Inbox view (issue #17.4): a watched station at a glance, for the operator of an unattended
 * inbox behind a diode. Heartbeat alarms first (silence on a channel is the thing to act on),
 * then the watchers (state, queue, what was accepted, quarantined or rejected and why, channel
 * findings), what the receiver knows of each channel, and the SIEM backlog. Read only: the
 * watcher is a service (`airlock watch`), not something this window starts. Refreshes on its own
 * while shown, and on demand; each part shows its own error or "not available" so one broken
 * part never hides the others, and nothing is ever made up.
 */
import { Alert, Button, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { InboxOverview, InboxPart, IpcError } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { plural } from '../../../../shared/format.js';
import { ChannelsTable } from './ChannelsTable.js';
import { ForwardTable } from './ForwardTable.js';
import { HeartbeatAlarms, standingAlarms } from './HeartbeatAlarms.js';
import { when } from './inbox-text.js';
import { WatcherCard } from './WatcherCard.js';

/** How often the view asks again while shown: the watcher writes its status every few seconds. */
export const INBOX_POLL_MS = 5000;

/** One part of the overview: its data, or why there is none. */
function Part<T>({ part, title, children }: { part: InboxPart<T>; title: string; children: (value: T) => ReactNode }) {
  switch (part.state) {
    case 'available':
      return <>{children(part.value)}</>;
    case 'unavailable':
      return (
        <Alert color="gray" role="status" title={`${title}: not available`} icon={<span aria-hidden="true">–</span>} data-part-state="unavailable">
          {part.reason}
        </Alert>
      );
    case 'error':
      return <ErrorAlert error={part.error} title={`${title} could not be read`} />;
  }
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    // A named region, not a <section>: the shell's sections are its panes.
    <Stack gap="sm" role="region" aria-labelledby={`inbox-${id}`} data-testid={`inbox-${id}`}>
      <Title order={3} id={`inbox-${id}`}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function watchersSummary(states: ReadonlyArray<{ state: string }>): string {
  const count = (state: string) => states.filter((s) => s.state === state).length;
  const parts = [
    `${count('running')} running`,
    count('stopped') > 0 ? `${count('stopped')} stopped` : null,
    count('dead') > 0 ? `${count('dead')} dead` : null,
  ];
  return `${plural(states.length, 'watcher')} on this station: ${parts.filter((p) => p !== null).join(', ')}.`;
}

function Overview({ overview }: { overview: InboxOverview }) {
  const { watchers, channels, forward, checkedAt } = overview;
  const alarms = standingAlarms([
    ...(channels.state === 'available' ? [channels.value.flatMap((c) => (c.alarm ? [c.alarm] : []))] : []),
    ...(watchers.state === 'available' ? watchers.value.map((w) => w.alarms) : []),
  ]);
  return (
    <Stack gap="lg">
      <HeartbeatAlarms alarms={alarms} />
      <Section id="watchers" title="Watchers">
        <Part part={watchers} title="The watchers">
          {(statuses) =>
            statuses.length === 0 ? (
              <Alert color="blue" role="status" title="No watcher runs on this station" icon={<span aria-hidden="true">ℹ</span>} data-testid="no-watcher">
                Start one with <Code>airlock watch INBOX --dest DIR</Code> (or the airlock-watch systemd service): it takes each complete bundle dropped into
                INBOX, verifies and imports it into DIR, and moves it to accepted/ or quarantine/ with its report. Its status shows here.
              </Alert>
            ) : (
              <Stack gap="md">
                <Text size="sm" data-testid="watchers-summary">
                  {watchersSummary(statuses)}
                </Text>
                {statuses.map((status) => (
                  <WatcherCard key={`${status.inbox}-${status.pid}`} status={status} checkedAt={checkedAt} />
                ))}
              </Stack>
            )
          }
        </Part>
      </Section>
      <Section id="channels" title="Channels">
        <Part part={channels} title="The channel states">
          {(states) =>
            states.length === 0 ? (
              <Text size="sm" data-testid="no-channels">
                No bundle stamped with a channel has arrived yet. The sending station stamps them with <Code>airlock export --channel C</Code> and sends
                heartbeats with <Code>airlock heartbeat --channel C</Code>; the policy&apos;s channels section sets the heartbeat interval.
              </Text>
            ) : (
              <ChannelsTable states={states} />
            )
          }
        </Part>
      </Section>
      <Section id="forward" title="SIEM forwarding">
        <Part part={forward} title="The forwarding status">
          {(status) =>
            !status.configured || status.sinks.length === 0 ? (
              <Text size="sm" data-testid="forward-off">
                Audit forwarding is not configured: the audit log stays on this station. Add a <Code>forward</Code> section to config.json (
                <Code>{'"syslog": { "url": "tls://HOST:PORT", "ca": … }'}</Code> or <Code>{'"jsonLines": { "path": … }'}</Code>) and run{' '}
                <Code>airlock audit forward --follow</Code> or a watcher, which forwards as it goes.
              </Text>
            ) : (
              <ForwardTable sinks={status.sinks} />
            )
          }
        </Part>
      </Section>
      <Text size="xs" c="dimmed" data-testid="inbox-checked">
        Read {when(checkedAt)}.
      </Text>
    </Stack>
  );
}

export function InboxView({ active = true, pollMs = INBOX_POLL_MS }: { active?: boolean; pollMs?: number }) {
  const api = useApi();
  const [overview, setOverview] = useState<InboxOverview | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [loading, setLoading] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const inFlight = useRef(false);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  /** `manual`: the operator asked; only then does the button show it works (a poll must not take the focus's button away). */
  const load = useCallback(
    async (manual = false) => {
      // A slow station (a busy database) must not pile up requests: one at a time.
      if (inFlight.current) return;
      inFlight.current = true;
      if (manual) setLoading(true);
      try {
        const next = await call(api, 'inboxOverview', {});
        if (!mounted.current) return;
        setOverview(next);
        setError(null);
      } catch (e) {
        if (mounted.current) setError(asIpcError(e));
      } finally {
        inFlight.current = false;
        if (mounted.current) setLoading(false);
      }
    },
    [api],
  );

  useEffect(() => {
    if (!active) return;
    const element = heading.current;
    // Opening the view puts the focus on its heading (a screen reader announces it); a hidden section leaves the focus alone.
    if (element && element.closest('[hidden]') === null) element.focus({ preventScroll: true });
    void load();
    const timer = setInterval(() => void load(), pollMs);
    return () => clearInterval(timer);
  }, [active, load, pollMs]);

  return (
    <Stack gap="md" aria-busy={loading} data-testid="inbox-view">
      <Title order={2} ref={heading} tabIndex={-1} style={{ outlineOffset: 2 }}>
        Inbox
      </Title>
      <Text size="sm">
        The unattended inbox of this station: what its watchers take in, what they accepted, quarantined or rejected and why, gaps and silence on each channel,
        and how far the SIEM is behind the audit log.
      </Text>
      <Group>
        <Button variant="default" onClick={() => void load(true)} loading={loading}>
          Refresh
        </Button>
        <Text size="sm" c="dimmed">
          Refreshes every {Math.round(pollMs / 1000)} s while shown.
        </Text>
      </Group>
      {error ? <ErrorAlert error={error} title="The inbox could not be read" /> : null}
      {overview ? <Overview overview={overview} /> : null}
    </Stack>
  );
}

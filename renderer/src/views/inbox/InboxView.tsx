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
import { ChannelsTable } from './ChannelsTable.js';
import { ForwardTable } from './ForwardTable.js';
import { HeartbeatAlarms, standingAlarms } from './HeartbeatAlarms.js';
import { Msg, useT } from '../../i18n/useT.js';
import { useInboxText } from './inbox-text.js';
import { WatcherCard } from './WatcherCard.js';

/** How often the view asks again while shown: the watcher writes its status every few seconds. */
export const INBOX_POLL_MS = 5000;

/** One part of the overview: its data, or why there is none. */
function Part<T>({ part, title, children }: { part: InboxPart<T>; title: string; children: (value: T) => ReactNode }) {
  const t = useT();
  switch (part.state) {
    case 'available':
      return <>{children(part.value)}</>;
    case 'unavailable':
      return (
        <Alert color="gray" role="status" title={t('inbox.part.unavailable', { title })} icon={<span aria-hidden="true">–</span>} data-part-state="unavailable">
          {/* Why the part is missing, in the engine's English. */}
          <span lang="en">{part.reason}</span>
        </Alert>
      );
    case 'error':
      return <ErrorAlert error={part.error} title={t('inbox.part.error', { title })} />;
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

function WatchersSummary({ states }: { states: ReadonlyArray<{ state: string }> }) {
  const t = useT();
  const count = (state: string) => states.filter((s) => s.state === state).length;
  return <>{t('inbox.watchers.summary', { count: states.length, running: count('running'), stopped: count('stopped'), dead: count('dead') })}</>;
}

const code = (chunks: ReactNode[]) => <Code>{chunks}</Code>;

function Overview({ overview }: { overview: InboxOverview }) {
  const t = useT();
  const { when } = useInboxText();
  const { watchers, channels, forward, checkedAt } = overview;
  const alarms = standingAlarms([
    ...(channels.state === 'available' ? [channels.value.flatMap((c) => (c.alarm ? [c.alarm] : []))] : []),
    ...(watchers.state === 'available' ? watchers.value.map((w) => w.alarms) : []),
  ]);
  return (
    <Stack gap="lg">
      <HeartbeatAlarms alarms={alarms} />
      <Section id="watchers" title={t('inbox.watchers.title')}>
        <Part part={watchers} title={t('inbox.watchers.part')}>
          {(statuses) =>
            statuses.length === 0 ? (
              <Alert color="blue" role="status" title={t('inbox.watchers.none')} icon={<span aria-hidden="true">ℹ</span>} data-testid="no-watcher">
                <Msg id="inbox.watchers.noneText" values={{ code }} />
              </Alert>
            ) : (
              <Stack gap="md">
                <Text size="sm" data-testid="watchers-summary">
                  <WatchersSummary states={statuses} />
                </Text>
                {statuses.map((status) => (
                  <WatcherCard key={`${status.inbox}-${status.pid}`} status={status} checkedAt={checkedAt} />
                ))}
              </Stack>
            )
          }
        </Part>
      </Section>
      <Section id="channels" title={t('inbox.channels.title')}>
        <Part part={channels} title={t('inbox.channels.part')}>
          {(states) =>
            states.length === 0 ? (
              <Text size="sm" data-testid="no-channels">
                <Msg id="inbox.channels.none" values={{ code }} />
              </Text>
            ) : (
              <ChannelsTable states={states} />
            )
          }
        </Part>
      </Section>
      <Section id="forward" title={t('inbox.forward.title')}>
        <Part part={forward} title={t('inbox.forward.part')}>
          {(status) =>
            !status.configured || status.sinks.length === 0 ? (
              <Text size="sm" data-testid="forward-off">
                <Msg
                  id="inbox.forward.off"
                  values={{
                    code,
                    syslog: () => <Code>{'"syslog": { "url": "tls://HOST:PORT", "ca": … }'}</Code>,
                    jsonLines: () => <Code>{'"jsonLines": { "path": … }'}</Code>,
                  }}
                />
              </Text>
            ) : (
              <ForwardTable sinks={status.sinks} />
            )
          }
        </Part>
      </Section>
      <Text size="xs" c="dimmed" data-testid="inbox-checked">
        {t('inbox.read', { time: when(checkedAt) })}
      </Text>
    </Stack>
  );
}

export function InboxView({ active = true, pollMs = INBOX_POLL_MS }: { active?: boolean; pollMs?: number }) {
  const api = useApi();
  const t = useT();
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
        {t('inbox.title')}
      </Title>
      <Text size="sm">{t('inbox.intro')}</Text>
      <Group>
        <Button variant="default" onClick={() => void load(true)} loading={loading}>
          {t('inbox.refresh')}
        </Button>
        <Text size="sm" c="dimmed">
          {t('inbox.refreshEvery', { seconds: Math.round(pollMs / 1000) })}
        </Text>
      </Group>
      {error ? <ErrorAlert error={error} title={t('inbox.readError')} /> : null}
      {overview ? <Overview overview={overview} /> : null}
    </Stack>
  );
}

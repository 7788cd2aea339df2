/**
 * The Inbox view's IPC schema (#17.4): the overview main sends parses as it is (zod would drop a
 * key it does not name, and the view would silently miss it), each part is exactly one of
 * available / unavailable / error, and every string and array is bounded, so a runaway status
 * file never reaches the page. The request carries nothing: an unknown key is malformed.
 */
import { describe, expect, it } from 'vitest';
import { INBOX_IPC_LIMITS, InboxOverviewSchema, IPC_CHANNELS } from '../../../shared/ipc.js';
import { channelGaps, dead, forwardBehind, overview, quarantined, running } from '../renderer/inbox-fixtures.js';

const L = INBOX_IPC_LIMITS;
const parses = (value: unknown) => InboxOverviewSchema.safeParse(value).success;

describe('the inbox overview schema', () => {
  it('keeps every field of the watchers, channel states and forwarding status', () => {
    const sent = overview({ watchers: { state: 'available', value: [running, dead] } });
    expect(InboxOverviewSchema.parse(sent)).toEqual(sent);
  });

  it('takes each part as unavailable with a reason, or as an error with its code', () => {
    const sent = overview({
      watchers: { state: 'unavailable', reason: 'no watcher support' },
      forward: { state: 'error', error: { code: 'FORWARD_UNAVAILABLE', message: 'down' } },
    });
    expect(InboxOverviewSchema.parse(sent)).toEqual(sent);
    expect(parses(overview({ watchers: { state: 'available' } as never }))).toBe(false);
    expect(parses(overview({ watchers: { state: 'unknown', value: [] } as never }))).toBe(false);
    expect(parses(overview({ forward: { state: 'error', error: { code: 'NOT_A_CODE', message: 'x' } } as never }))).toBe(false);
  });

  it('refuses outcomes, watcher states, sink kinds and finding codes outside the contract', () => {
    expect(parses(overview({ watchers: { state: 'available', value: [{ ...running, state: 'zombie' as never }] } }))).toBe(false);
    expect(parses(overview({ watchers: { state: 'available', value: [{ ...running, recent: [{ ...quarantined, outcome: 'lost' as never }] }] } }))).toBe(false);
    const gap = running.gaps[0];
    expect(gap).toBeDefined();
    expect(parses(overview({ watchers: { state: 'available', value: [{ ...running, gaps: [{ ...gap!, code: 'NOT_A_PROBLEM' as never }] }] } }))).toBe(false);
    const sink = forwardBehind.sinks[0]!;
    expect(parses(overview({ forward: { state: 'available', value: { configured: true, sinks: [{ ...sink, kind: 'kafka' as never }] } } }))).toBe(false);
  });

  it('bounds every list and every string', () => {
    const many = <T>(item: T, n: number): T[] => Array.from({ length: n }, () => item);
    const watchers = (value: unknown) => overview({ watchers: { state: 'available', value: value as never } });
    expect(parses(watchers(many(running, L.watchers)))).toBe(true);
    expect(parses(watchers(many(running, L.watchers + 1)))).toBe(false);
    expect(parses(watchers([{ ...running, recent: many(quarantined, L.recent + 1) }]))).toBe(false);
    expect(parses(watchers([{ ...running, gaps: many(running.gaps[0], L.gaps + 1) }]))).toBe(false);
    expect(parses(watchers([{ ...running, recent: [{ ...quarantined, codes: many('CHECKSUM_MISMATCH', L.codes + 1) }] }]))).toBe(false);
    expect(parses(watchers([{ ...running, recent: [{ ...quarantined, name: 'x'.repeat(L.text + 1) }] }]))).toBe(false);
    expect(parses(watchers([{ ...running, inbox: 'x'.repeat(L.text + 1) }]))).toBe(false);
    expect(parses(watchers([{ ...running, current: { name: 'a', phase: 'p'.repeat(L.short + 1), since: 'x' } }]))).toBe(false);
    expect(parses(overview({ channels: { state: 'available', value: many(channelGaps, L.channels + 1) } }))).toBe(false);
    expect(parses(overview({ channels: { state: 'available', value: [{ ...channelGaps, missing: many(1, L.missing + 1) }] } }))).toBe(false);
    const sink = forwardBehind.sinks[0]!;
    expect(parses(overview({ forward: { state: 'available', value: { configured: true, sinks: many(sink, L.sinks + 1) } } }))).toBe(false);
    expect(parses(overview({ forward: { state: 'available', value: { configured: true, sinks: [{ ...sink, lastError: 'e'.repeat(L.text + 1) }] } } }))).toBe(
      false,
    );
    expect(parses(overview({ watchers: { state: 'unavailable', reason: 'r'.repeat(L.text + 1) } }))).toBe(false);
  });

  it('takes an empty request only', () => {
    const request = IPC_CHANNELS.inboxOverview.request;
    expect(request.safeParse({}).success).toBe(true);
    expect(request.safeParse({ inbox: '/srv/inbox' }).success).toBe(false);
    expect(IPC_CHANNELS.inboxOverview.channel).toBe('airlock:inbox-overview');
  });
});

/**
 * The Inbox view over IPC (#17.4), through the real dispatcher and handlers over station doubles:
 * each part read through the facade on its own (one failing part keeps the others, with its code;
 * an unexpected error becomes INTERNAL without its details), a station without a part's method
 * answers "unavailable" and never made-up data, lists clipped to the IPC bounds so the answer
 * always fits the schema, the station closed after every call, and a malformed request or an
 * untrusted sender refused before the station is opened.
 */
import { describe, expect, it, vi } from 'vitest';
import { AirlockError } from '../../../electron/core/index.js';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs, type StationOps } from '../../../electron/main/ipc/handlers.js';
import { INBOX_UNAVAILABLE } from '../../../electron/main/ipc/inbox-handlers.js';
import { INBOX_IPC_LIMITS as L, InboxOverviewSchema } from '../../../shared/ipc.js';
import { channelGaps, channelOk, forwardBehind, quarantined, running } from '../renderer/inbox-fixtures.js';

const FRAME = { url: 'app://airlock/index.html', parent: null };
const jobHost = { start: vi.fn(() => 'j'), list: vi.fn(() => []), get: vi.fn(() => undefined), cancel: vi.fn(() => false) };

function harness(station: Record<string, unknown>) {
  const close = vi.fn();
  const openStation = vi.fn(async () => ({ close, ...station }) as unknown as StationOps);
  const log = vi.fn();
  const dispatch = createDispatch(createHandlers({ openStation, jobHost, dialogs: {} as Dialogs, version: '1' }), { trustedOrigins: ['app://airlock'], log });
  const call = (payload: unknown = {}, frame: { url: string; parent: unknown } = FRAME) => dispatch('inboxOverview', frame, payload);
  return { call, openStation, close };
}

const valueOf = async (answer: Promise<unknown>) => {
  const result = (await answer) as { ok: boolean; value?: unknown; error?: unknown };
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return InboxOverviewSchema.parse(result.value);
};

describe('inbox:overview', () => {
  it('reads the watchers, channel states and forwarding status through the facade, and closes the station', async () => {
    const watchStatuses = vi.fn(async () => [running]);
    const channelStates = vi.fn(() => [channelOk, channelGaps]);
    const forwardStatus = vi.fn(async () => forwardBehind);
    const { call, close } = harness({ watchStatuses, channelStates, forwardStatus });
    const overview = await valueOf(call());
    expect(overview.watchers).toEqual({ state: 'available', value: [running] });
    expect(overview.channels).toEqual({ state: 'available', value: [channelOk, channelGaps] });
    expect(overview.forward).toEqual({ state: 'available', value: forwardBehind });
    expect(Number.isNaN(Date.parse(overview.checkedAt))).toBe(false);
    expect([watchStatuses, channelStates, forwardStatus].map((f) => f.mock.calls.length)).toEqual([1, 1, 1]);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('answers "unavailable" for a part the station cannot read, never made-up data', async () => {
    const { call } = harness({ channelStates: () => [channelOk] });
    const overview = await valueOf(call());
    expect(overview.watchers).toEqual({ state: 'unavailable', reason: INBOX_UNAVAILABLE.watchers });
    expect(overview.forward).toEqual({ state: 'unavailable', reason: INBOX_UNAVAILABLE.forward });
    expect(overview.channels).toEqual({ state: 'available', value: [channelOk] });
  });

  it('keeps the other parts when one fails: its code as sent, or INTERNAL without the details', async () => {
    const { call } = harness({
      watchStatuses: async () => [running],
      channelStates: () => {
        throw new Error('SQLITE_CORRUPT at /secret/path');
      },
      forwardStatus: async () => {
        throw new AirlockError('CONFIG_INVALID', 'config.json: forward.syslog.url is not tcp:// or tls://.');
      },
    });
    const overview = await valueOf(call());
    expect(overview.watchers.state).toBe('available');
    expect(overview.channels).toEqual({ state: 'error', error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(JSON.stringify(overview.channels)).not.toContain('/secret/path');
    expect(overview.forward).toMatchObject({ state: 'error', error: { code: 'CONFIG_INVALID' } });
  });

  it('clips every list to the IPC bounds, so a runaway status file still fits the schema', async () => {
    const many = <T>(item: T, n: number): T[] => Array.from({ length: n }, () => item);
    const huge = {
      ...running,
      recent: many({ ...quarantined, codes: many('CHECKSUM_MISMATCH', L.codes * 2) }, L.recent * 3),
      lastBundle: { ...quarantined, codes: many('CHECKSUM_MISMATCH', L.codes * 2) },
      gaps: many(running.gaps[0]!, L.gaps * 2),
      alarms: many(channelGaps.alarm!, L.alarms + 5),
    };
    const { call } = harness({
      watchStatuses: async () => many(huge, L.watchers + 3),
      channelStates: () => many({ ...channelGaps, missing: many(7, L.missing * 2) }, L.channels + 1),
      forwardStatus: async () => ({ configured: true, sinks: many(forwardBehind.sinks[0]!, L.sinks + 1) }),
    });
    const overview = await valueOf(call());
    if (overview.watchers.state !== 'available' || overview.channels.state !== 'available' || overview.forward.state !== 'available') throw new Error('parts');
    expect(overview.watchers.value).toHaveLength(L.watchers);
    expect(overview.watchers.value[0]?.recent).toHaveLength(L.recent);
    expect(overview.watchers.value[0]?.recent[0]?.codes).toHaveLength(L.codes);
    expect(overview.watchers.value[0]?.lastBundle?.codes).toHaveLength(L.codes);
    expect(overview.watchers.value[0]?.gaps).toHaveLength(L.gaps);
    expect(overview.watchers.value[0]?.alarms).toHaveLength(L.alarms);
    expect(overview.channels.value).toHaveLength(L.channels);
    expect(overview.channels.value[0]?.missing).toHaveLength(L.missing);
    expect(overview.forward.value.sinks).toHaveLength(L.sinks);
  });

  it('answers an error for a status that does not fit the contract (a torn or foreign status file), never a half-drawn view', async () => {
    const { counts: _counts, ...noCounts } = running;
    const { call } = harness({
      watchStatuses: () => [{ ...noCounts, owner: { pid: 1 } }],
      channelStates: () => [{ ...channelOk, lastSequence: 'seven' }],
      forwardStatus: async () => ({ ...forwardBehind, secret: 'x' }),
    });
    const overview = await valueOf(call());
    expect(overview.watchers).toMatchObject({ state: 'error', error: { code: 'INTERNAL' } });
    expect(overview.channels).toMatchObject({ state: 'error', error: { code: 'INTERNAL' } });
    // Keys the contract does not name never reach the page.
    expect(overview.forward).toEqual({ state: 'available', value: forwardBehind });
  });

  it('refuses a request with any field, or from a frame that is not the app, before the station is opened', async () => {
    const { call, openStation } = harness({ watchStatuses: async () => [running] });
    expect(await call({ inbox: '/etc' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await call({}, { url: 'https://evil.example/', parent: null })).toMatchObject({ ok: false, error: { code: 'SENDER_REFUSED' } });
    expect(openStation).not.toHaveBeenCalled();
  });

  it('answers the error when the station itself cannot be opened', async () => {
    const dispatch = createDispatch(
      createHandlers({
        openStation: async () => {
          throw new AirlockError('PERMISSION_DENIED', 'Permission denied: /home/op/.config/Airlock');
        },
        jobHost,
        dialogs: {} as Dialogs,
        version: '1',
      }),
      { trustedOrigins: ['app://airlock'], log: () => undefined },
    );
    expect(await dispatch('inboxOverview', FRAME, {})).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
  });
});

/**
 * The Inbox view's channel (issue #17.4): the watchers, channel states and forwarding backlog of
 * the operator's station, read through the core facade in one call, like handlers.ts. Reading
 * only: nothing here starts, stops or changes a watcher. Each part is read on its own, so a
 * broken forward section in config.json still shows the watchers; a part this build's station
 * cannot read is `unavailable`, never made up. Lists are clipped to the IPC bounds (the status
 * file and the database are read as they are, and the page must never get a runaway answer).
 */
import type { ChannelState } from '../../../shared/channels.js';
import { errorMessage } from '../../../shared/errors.js';
import type { ForwardStatus } from '../../../shared/forward.js';
import type { z } from 'zod';
import { ChannelStateSchema, ForwardStatusSchema, INBOX_IPC_LIMITS as L, WatchStatusSchema, type InboxPart, type IpcResponse } from '../../../shared/ipc.js';
import type { WatchStatus } from '../../../shared/watch.js';
import { AirlockError } from '../../core/index.js';

type Read<T> = () => T | Promise<T>;

/** What the Inbox view reads of a station; a method a station lacks makes its part `unavailable`. */
export interface InboxStationOps {
  watchStatuses?: Read<WatchStatus[]> | undefined;
  channelStates?: Read<ChannelState[]> | undefined;
  forwardStatus?: Read<ForwardStatus> | undefined;
}

export interface InboxHandlerDeps {
  withStation: <T>(action: (station: InboxStationOps) => Promise<T>) => Promise<T>;
  log?: ((message: string, detail?: unknown) => void) | undefined;
  now?: (() => Date) | undefined;
}

export interface InboxHandlers {
  inboxOverview: () => Promise<IpcResponse<'inboxOverview'>>;
}

/** Why a part is missing, in words the view shows as they are. */
export const INBOX_UNAVAILABLE = {
  watchers: 'This station cannot report on watchers: this build of Airlock has no unattended inbox.',
  channels: 'This station cannot report channel states: this build of Airlock does not track channels.',
  forward: 'This station cannot report on audit forwarding: this build of Airlock does not forward to a SIEM.',
} as const;

const clip = <T>(items: readonly T[], max: number): T[] => items.slice(0, max);

function clipWatcher(status: WatchStatus): WatchStatus {
  const record = (r: WatchStatus['recent'][number]) => ({ ...r, codes: clip(r.codes, L.codes) });
  return {
    ...status,
    lastBundle: status.lastBundle === null ? null : record(status.lastBundle),
    recent: clip(status.recent, L.recent).map(record),
    gaps: clip(status.gaps, L.gaps),
    alarms: clip(status.alarms, L.alarms),
  };
}

const clipWatchers = (statuses: WatchStatus[]): WatchStatus[] => clip(statuses, L.watchers).map(clipWatcher);
const clipChannels = (states: ChannelState[]): ChannelState[] => clip(states, L.channels).map((s) => ({ ...s, missing: clip(s.missing, L.missing) }));
const clipForward = (status: ForwardStatus): ForwardStatus => ({ ...status, sinks: clip(status.sinks, L.sinks) });

export function createInboxHandlers({ withStation, log = (m, d) => console.error(m, d), now = () => new Date() }: InboxHandlerDeps): InboxHandlers {
  const internal = (what: string, error: unknown): InboxPart<never> => {
    // As dispatch does: the details go to the log, the page gets the code's message only.
    log(`Inbox overview: reading ${what} failed unexpectedly:`, error);
    return { state: 'error', error: { code: 'INTERNAL', message: errorMessage('INTERNAL') } };
  };

  /**
   * One part: read, clipped, then checked against its schema. The status files are written by other
   * processes (another version of Airlock, a crash mid-write on a file system without atomic rename):
   * what does not fit the contract is an error here, never a half-drawn view; zod also drops keys
   * the contract does not name.
   */
  const readPart = async <T>(
    what: string,
    read: Read<T> | undefined,
    unavailable: string,
    bound: (value: T) => T,
    schema: z.ZodType<T>,
  ): Promise<InboxPart<T>> => {
    if (read === undefined) return { state: 'unavailable', reason: unavailable };
    try {
      const checked = schema.safeParse(bound(await read()));
      return checked.success ? { state: 'available', value: checked.data } : internal(what, checked.error);
    } catch (error) {
      if (error instanceof AirlockError && error.code !== 'INTERNAL') return { state: 'error', error: error.toInfo() };
      return internal(what, error);
    }
  };

  return {
    inboxOverview: () =>
      withStation(async (station) => {
        const checkedAt = now().toISOString();
        // One after the other: all three read the one station database.
        const watchers = await readPart(
          'the watchers',
          station.watchStatuses?.bind(station),
          INBOX_UNAVAILABLE.watchers,
          clipWatchers,
          WatchStatusSchema.array(),
        );
        const channels = await readPart(
          'the channel states',
          station.channelStates?.bind(station),
          INBOX_UNAVAILABLE.channels,
          clipChannels,
          ChannelStateSchema.array(),
        );
        const forward = await readPart(
          'the forwarding status',
          station.forwardStatus?.bind(station),
          INBOX_UNAVAILABLE.forward,
          clipForward,
          ForwardStatusSchema,
        );
        return { checkedAt, watchers, channels, forward };
      }),
  };
}

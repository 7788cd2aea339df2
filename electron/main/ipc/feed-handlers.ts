/**
 * Feed import, heartbeats and the next number on a channel (the CLI's `feed import`, `heartbeat`,
 * `export --channel`): plain functions over the station facade and the job host, like handlers.ts.
 * The jobs run the very station functions the CLI calls (Station.importFeed, Station.sendHeartbeat)
 * in the job worker; main checks what it can before a job starts: the channel name (the CLI's
 * CHANNEL_NAME_INVALID, not a malformed request) and, for a medium, that it is offered, mounted and
 * writable now (a heartbeat goes to its mount point, as `heartbeat --out /media/stick` would).
 */
import type { DatabaseStateView, IpcParsedRequest, IpcResponse } from '../../../shared/ipc.js';
import type { MediaVolume } from '../../../shared/media.js';
import { assertChannelName, type DatabaseState, type Station } from '../../core/index.js';
import type { JobHost } from '../jobs/job-host.js';

// The feed report's database state describes core's; this fails to compile when they drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const databaseStateInSync: Same<DatabaseStateView, DatabaseState> = true;
void databaseStateInSync;

export type FeedStationOps = Pick<Station, 'nextChannelStamp'>;

export interface FeedHandlerDeps {
  withStation: <T>(action: (station: FeedStationOps) => Promise<T>) => Promise<T>;
  jobHost: Pick<JobHost, 'start'>;
  /** The medium with this id among those offered now, checked for writing (handlers.ts: MEDIA_NOT_LISTED, _NOT_MOUNTED, _READONLY). */
  writableMedium: (mediumId: string) => Promise<MediaVolume>;
}

type Method = 'startFeedImport' | 'startHeartbeat' | 'nextChannelStamp';
export type FeedHandlers = { [M in Method]: (request: IpcParsedRequest<M>) => Promise<IpcResponse<M>> };

export function createFeedHandlers({ withStation, jobHost, writableMedium }: FeedHandlerDeps): FeedHandlers {
  return {
    startFeedImport: async (request) => ({
      jobId: jobHost.start('feed-import', { bundlePath: request.bundlePath, allowDowngrade: request.allowDowngrade === true || undefined }),
    }),

    startHeartbeat: async ({ destination, ...request }) => {
      assertChannelName(request.channel);
      const outDir = destination.kind === 'folder' ? destination.path : ((await writableMedium(destination.mediumId)).mountPoint as string);
      return { jobId: jobHost.start('heartbeat', { ...request, outDir }) };
    },

    nextChannelStamp: async (request) => {
      assertChannelName(request.channel);
      return withStation((station) => station.nextChannelStamp(request.channel));
    },
  };
}

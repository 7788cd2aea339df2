/**
 * The two-person export channels (docs/cli.md "Two-person exports"): plain functions over the
 * station facade and the job host, like handlers.ts, calling the same station functions as
 * `export --prepare`, `--list-staged`, `--discard-staged`, `approve` and `export --finish` (to a
 * folder, or `--to-media ID[,ID...]`). The
 * renderer names a staged export by its name; main finds it in the station's own list of the
 * home's staged/ folder (or of the staging folder main's own dialog opened: `--list-staged
 * --staging DIR`, kept in config.json `stagingFolder` so it is listed again after a restart), so no
 * path the page sends reaches the staging code. Approve and discard
 * need the bundle's name typed as confirmation, checked here again (the CLI's approve asks for it).
 * That the approver is another person (another key) is core's rule, as in the CLI.
 */
import { displayText } from '../../../shared/display-text.js';
import { STAGED_LIST_MAX, stagedSummaryView, type IpcParsedRequest, type IpcResponse } from '../../../shared/ipc.js';
import { confirmsBundleName } from '../../../shared/quarantine-confirm.js';
import { AirlockError, assertChannelName, type Station } from '../../core/index.js';
import type { JobHost } from '../jobs/job-host.js';

export type TwoPersonStationOps = Pick<Station, 'listStaged' | 'describeStaged' | 'approveStaged' | 'discardStaged' | 'getSettings' | 'updateSettings'>;

export interface TwoPersonHandlerDeps {
  withStation: <T>(action: (station: TwoPersonStationOps) => Promise<T>) => Promise<T>;
  jobHost: Pick<JobHost, 'start'>;
  /** The medium the renderer names, offered now, mounted and writable (handlers.ts offeredMedium): MEDIA_NOT_LISTED, _NOT_MOUNTED, _READONLY. */
  writableMedium: (mediumId: string) => Promise<unknown>;
  /** Main's own folder dialog for a staging folder (`--staging DIR`); null when the operator cancels. */
  chooseStagingFolder: () => Promise<string | null>;
}

type Method =
  'listStaged' | 'openStagingFolder' | 'closeStagingFolder' | 'describeStaged' | 'approveStaged' | 'discardStaged' | 'startPrepareExport' | 'startFinishExport';
export type TwoPersonHandlers = { [M in Method]: (request: IpcParsedRequest<M>) => Promise<IpcResponse<M>> };

type StagedEntry = Awaited<ReturnType<Station['listStaged']>>[number];
type Source = 'home' | 'folder' | undefined;

function confirmOrRefuse(typed: string, name: string): void {
  if (!confirmsBundleName(typed, name)) {
    throw new AirlockError('USAGE', `The name typed to confirm is not this export's name ("${displayText(name)}"). Nothing was signed or removed.`);
  }
}

export function createTwoPersonHandlers({ withStation, jobHost, writableMedium, chooseStagingFolder }: TwoPersonHandlerDeps): TwoPersonHandlers {
  /**
   * The staging folder the operator opened through main's dialog (config.json `stagingFolder`): the
   * only other folder listed. Read from the file each time, so a change by another window or by
   * hand is what the next request sees.
   */
  const openedFolderOf = async (station: TwoPersonStationOps): Promise<string | null> => (await station.getSettings()).stagingFolder ?? null;

  /** The staged export of that name, from the station's own list of the home's staged/ or of the opened folder. */
  const stagedByName = async (station: TwoPersonStationOps, name: string, source: Source): Promise<StagedEntry> => {
    const openedFolder = source === 'folder' ? await openedFolderOf(station) : null;
    const list = source === 'folder' ? (openedFolder === null ? [] : await station.listStaged({ stagingDir: openedFolder })) : await station.listStaged();
    const entry = list.find((e) => e.name === name);
    if (!entry) {
      const where = source !== 'folder' ? 'on this station' : openedFolder === null ? '(no staging folder is open)' : `in ${displayText(openedFolder)}`;
      throw new AirlockError('NOT_FOUND', `There is no staged export named ${displayText(name)} ${where}.`, {
        data: { reason: 'no-staged-export' },
      });
    }
    return entry;
  };

  const listing = (station: TwoPersonStationOps) => async () => {
    const home = (await station.listStaged()).map((e) => ({ ...e, source: 'home' as const }));
    const openedFolder = await openedFolderOf(station);
    if (openedFolder === null) return { staged: home.slice(0, STAGED_LIST_MAX), folder: null, folderUnavailable: null };
    try {
      const folder = (await station.listStaged({ stagingDir: openedFolder })).map((e) => ({ ...e, source: 'folder' as const }));
      return { staged: [...home, ...folder].slice(0, STAGED_LIST_MAX), folder: openedFolder, folderUnavailable: null };
    } catch (error) {
      // A stick taken out, a share not mounted yet: the home's list still shows, and the folder stays kept until the operator closes it.
      if (!(error instanceof AirlockError) || error.code === 'INTERNAL') throw error;
      return { staged: home.slice(0, STAGED_LIST_MAX), folder: openedFolder, folderUnavailable: { folder: openedFolder, error: error.toInfo() } };
    }
  };

  return {
    listStaged: () => withStation((station) => listing(station)()),

    openStagingFolder: async () => {
      const chosen = await chooseStagingFolder();
      return withStation(async (station) => {
        if (chosen !== null) {
          // Listed before it is kept: a folder that cannot be read is refused with its error, and the one open before stays.
          await station.listStaged({ stagingDir: chosen });
          // Kept in config.json as settings are (a settings-change event): listed again after a restart.
          await station.updateSettings({ stagingFolder: chosen });
        }
        return listing(station)();
      });
    },

    closeStagingFolder: () =>
      withStation(async (station) => {
        await station.updateSettings({ stagingFolder: null });
        return listing(station)();
      }),

    // An invalid staged export fails here with core's reason (STAGED_INVALID), on record as the CLI's approve records it.
    describeStaged: (request) =>
      withStation(async (station) => stagedSummaryView(await station.describeStaged((await stagedByName(station, request.name, request.source)).dir))),

    approveStaged: (request) =>
      withStation(async (station) => {
        const { dir } = await stagedByName(station, request.name, request.source);
        // The name the approver was shown is the signed one (the manifest's), as the CLI asks for it.
        const staged = await station.describeStaged(dir);
        confirmOrRefuse(request.confirmName, staged.name);
        return stagedSummaryView(await station.approveStaged(dir, request.signer));
      }),

    discardStaged: (request) =>
      withStation(async (station) => {
        const { dir, name } = await stagedByName(station, request.name, request.source);
        confirmOrRefuse(request.confirmName, name);
        return station.discardStaged(dir);
      }),

    startPrepareExport: async (request) => {
      if (request.channel !== undefined) assertChannelName(request.channel);
      return { jobId: jobHost.start('export-prepare', request) };
    },

    startFinishExport: async (request) => {
      const { mediumIds, outDir, passphrase } = request;
      if (mediumIds !== undefined) {
        // The key signs a split bundle's volume index: without it the media write could not finish (the CLI always asks).
        if (passphrase === undefined) throw new AirlockError('PASSPHRASE_REQUIRED', 'Writing onto a medium needs the station key: enter its passphrase.');
        // Every medium, not only the first: a later one gone or read-only would fail the job after volume 1 was written.
        for (const mediumId of mediumIds) await writableMedium(mediumId);
      }
      const { dir } = await withStation((station) => stagedByName(station, request.name, request.source));
      return { jobId: jobHost.start('export-finish', { stagedDir: dir, outDir, mediumIds, passphrase }) };
    },
  };
}

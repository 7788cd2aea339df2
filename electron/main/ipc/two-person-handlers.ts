/**
 * The two-person export channels (docs/cli.md "Two-person exports"): plain functions over the
 * station facade and the job host, like handlers.ts, calling the same station functions as
 * `export --prepare`, `--list-staged`, `--discard-staged`, `approve` and `export --finish`. The
 * renderer names a staged export by its name; main finds it in the station's own list of the
 * home's staged/ folder, so no path the page sends reaches the staging code. Approve and discard
 * need the bundle's name typed as confirmation, checked here again (the CLI's approve asks for it).
 * That the approver is another person (another key) is core's rule, as in the CLI.
 */
import { displayText } from '../../../shared/display-text.js';
import { STAGED_LIST_MAX, stagedSummaryView, type IpcParsedRequest, type IpcResponse } from '../../../shared/ipc.js';
import { confirmsBundleName } from '../../../shared/quarantine-confirm.js';
import { AirlockError, assertChannelName, type Station } from '../../core/index.js';
import type { JobHost } from '../jobs/job-host.js';

export type TwoPersonStationOps = Pick<Station, 'listStaged' | 'describeStaged' | 'approveStaged' | 'discardStaged'>;

export interface TwoPersonHandlerDeps {
  withStation: <T>(action: (station: TwoPersonStationOps) => Promise<T>) => Promise<T>;
  jobHost: Pick<JobHost, 'start'>;
}

type Method = 'listStaged' | 'describeStaged' | 'approveStaged' | 'discardStaged' | 'startPrepareExport' | 'startFinishExport';
export type TwoPersonHandlers = { [M in Method]: (request: IpcParsedRequest<M>) => Promise<IpcResponse<M>> };

type StagedEntry = Awaited<ReturnType<Station['listStaged']>>[number];

/** The staged export of that name in the home's staged/ folder, from the station's own list. */
async function stagedByName(station: TwoPersonStationOps, name: string): Promise<StagedEntry> {
  const entry = (await station.listStaged()).find((e) => e.name === name);
  if (!entry) {
    throw new AirlockError('NOT_FOUND', `There is no staged export named ${displayText(name)} on this station.`, {
      data: { reason: 'no-staged-export' },
    });
  }
  return entry;
}

function confirmOrRefuse(typed: string, name: string): void {
  if (!confirmsBundleName(typed, name)) {
    throw new AirlockError('USAGE', `The name typed to confirm is not this export's name ("${displayText(name)}"). Nothing was signed or removed.`);
  }
}

export function createTwoPersonHandlers({ withStation, jobHost }: TwoPersonHandlerDeps): TwoPersonHandlers {
  return {
    listStaged: () => withStation(async (station) => ({ staged: (await station.listStaged()).slice(0, STAGED_LIST_MAX) })),

    // An invalid staged export fails here with core's reason (STAGED_INVALID), on record as the CLI's approve records it.
    describeStaged: (request) =>
      withStation(async (station) => stagedSummaryView(await station.describeStaged((await stagedByName(station, request.name)).dir))),

    approveStaged: (request) =>
      withStation(async (station) => {
        const { dir } = await stagedByName(station, request.name);
        // The name the approver was shown is the signed one (the manifest's), as the CLI asks for it.
        const staged = await station.describeStaged(dir);
        confirmOrRefuse(request.confirmName, staged.name);
        return stagedSummaryView(await station.approveStaged(dir, request.signer));
      }),

    discardStaged: (request) =>
      withStation(async (station) => {
        const { dir, name } = await stagedByName(station, request.name);
        confirmOrRefuse(request.confirmName, name);
        return station.discardStaged(dir);
      }),

    startPrepareExport: async (request) => {
      if (request.channel !== undefined) assertChannelName(request.channel);
      return { jobId: jobHost.start('export-prepare', request) };
    },

    startFinishExport: (request) =>
      withStation(async (station) => {
        const { dir } = await stagedByName(station, request.name);
        return { jobId: jobHost.start('export-finish', { stagedDir: dir, outDir: request.outDir, passphrase: request.passphrase }) };
      }),
  };
}

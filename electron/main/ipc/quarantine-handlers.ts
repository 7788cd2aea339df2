/**
 * The quarantine and inspection channels (issue #16.5, #16.7): plain functions over the station
 * facade and the job host, like handlers.ts. Main, not only the page, checks what a release or a
 * purge needs before anything happens: the entry exists and is held, the bundle's name typed as
 * confirmation matches it, and a signed decision where the policy requires two persons (core
 * then checks the keys: two decisions by one key are one person).
 */
import { displayText } from '../../../shared/display-text.js';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import type { IpcParsedRequest, IpcResponse } from '../../../shared/ipc.js';
import { confirmsBundleName } from '../../../shared/quarantine-confirm.js';
import { AirlockError } from '../../core/index.js';
import type { JobHost } from '../jobs/job-host.js';
import { inspectionStatusView } from './inspection-view.js';
import type { QuarantineStationOps } from './quarantine-ops.js';

export interface QuarantineHandlerDeps {
  withStation: <T>(action: (station: QuarantineStationOps) => Promise<T>) => Promise<T>;
  jobHost: Pick<JobHost, 'start'>;
}

type Handler<M extends 'inspectionStatus' | 'listQuarantine' | 'showQuarantine' | 'startQuarantineRelease' | 'purgeQuarantine' | 'purgeReleasedQuarantine'> = (
  request: IpcParsedRequest<M>,
) => Promise<IpcResponse<M>>;

export interface QuarantineHandlers {
  inspectionStatus: Handler<'inspectionStatus'>;
  listQuarantine: Handler<'listQuarantine'>;
  showQuarantine: Handler<'showQuarantine'>;
  startQuarantineRelease: Handler<'startQuarantineRelease'>;
  purgeQuarantine: Handler<'purgeQuarantine'>;
  purgeReleasedQuarantine: Handler<'purgeReleasedQuarantine'>;
}

function confirmOrRefuse(typed: string, bundleName: string): void {
  if (!confirmsBundleName(typed, bundleName)) {
    throw new AirlockError('USAGE', `The name typed to confirm is not this bundle's name ("${displayText(bundleName)}"). Nothing was changed.`);
  }
}

/** Only an entry still held may be released; main says so before a job starts. */
function mustBeHeld(entry: QuarantineEntry): void {
  if (entry.status !== 'held')
    throw new AirlockError(
      'QUARANTINE_NOT_HELD',
      `"${displayText(entry.bundleName)}" was ${entry.status}${entry.releasedTo ? ` to ${displayText(entry.releasedTo)}` : ''}.`,
    );
}

export function createQuarantineHandlers({ withStation, jobHost }: QuarantineHandlerDeps): QuarantineHandlers {
  return {
    inspectionStatus: () =>
      withStation(async (station) => {
        const now = new Date();
        return inspectionStatusView(await station.inspectionStatus(now), now);
      }),

    listQuarantine: (request) =>
      withStation(async (station) => {
        const wanted = request.status ?? 'held';
        const entries = (await station.quarantineList()).filter((e) => wanted === 'all' || e.status === wanted);
        // Newest first, as the view lists them (core lists oldest first).
        return { entries: entries.sort((a, b) => (a.quarantinedAt < b.quarantinedAt ? 1 : a.quarantinedAt > b.quarantinedAt ? -1 : 0)) };
      }),

    showQuarantine: (request) =>
      withStation(async (station) => {
        const { entry, report, files, approvals, releasingTo } = await station.quarantineShow(request.id);
        return { entry, report, files, approvals, releasingTo };
      }),

    startQuarantineRelease: ({ confirmName, ...request }) =>
      withStation(async (station) => {
        const { entry, approvals } = await station.quarantineShow(request.id);
        mustBeHeld(entry);
        confirmOrRefuse(confirmName, entry.bundleName);
        if (approvals.required === 2 && request.signer === undefined) {
          throw new AirlockError(
            'RELEASE_APPROVAL_INVALID',
            'Two persons are required: each operator proves who they are by signing the decision with their own key.',
          );
        }
        return { jobId: jobHost.start('quarantine-release', { ...request, id: entry.id }) };
      }),

    purgeQuarantine: (request) =>
      withStation(async (station) => {
        const { entry } = await station.quarantineShow(request.id);
        confirmOrRefuse(request.confirmName, entry.bundleName);
        const { purged, auditEvent } = await station.quarantinePurge({ ids: [entry.id] });
        return { purged, auditEvent };
      }),

    purgeReleasedQuarantine: (request) =>
      withStation(async (station) => {
        const released = (await station.quarantineList()).filter((e) => e.status === 'released');
        // By id, the ones counted here: never a bundle held or released after the operator looked.
        // Someone else changed the list meanwhile: QUARANTINE_BUSY's next step is "look again, then decide".
        if (released.length !== request.expectedCount) {
          throw new AirlockError(
            'QUARANTINE_BUSY',
            `${released.length} released bundles are kept now, not ${request.expectedCount}: look at the list again. Nothing was purged.`,
          );
        }
        const { purged, auditEvent } = await station.quarantinePurge({ ids: released.map((e) => e.id) });
        return { purged, auditEvent };
      }),
  };
}

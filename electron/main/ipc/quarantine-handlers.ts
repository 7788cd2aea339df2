/**
 * The quarantine and inspection channels (issue #16.5, #16.7): plain functions over the station
 * facade and the job host, like handlers.ts. Main, not only the page, checks what a release or a
 * purge needs before anything happens: the entry exists and is held, the bundle's name typed as
 * confirmation matches it, and a second, different operator where the policy requires two.
 */
import { displayText } from '../../../shared/display-text.js';
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

type Handler<M extends 'inspectionStatus' | 'listQuarantine' | 'showQuarantine' | 'startQuarantineRelease' | 'purgeQuarantine'> = (
  request: IpcParsedRequest<M>,
) => Promise<IpcResponse<M>>;

export interface QuarantineHandlers {
  inspectionStatus: Handler<'inspectionStatus'>;
  listQuarantine: Handler<'listQuarantine'>;
  showQuarantine: Handler<'showQuarantine'>;
  startQuarantineRelease: Handler<'startQuarantineRelease'>;
  purgeQuarantine: Handler<'purgeQuarantine'>;
}

function confirmOrRefuse(typed: string, bundleName: string): void {
  if (!confirmsBundleName(typed, bundleName)) {
    throw new AirlockError('USAGE', `The name typed to confirm is not this bundle's name ("${displayText(bundleName)}"). Nothing was changed.`);
  }
}

export function createQuarantineHandlers({ withStation, jobHost }: QuarantineHandlerDeps): QuarantineHandlers {
  return {
    inspectionStatus: () => withStation(async (station) => inspectionStatusView(await station.inspectionStatus(new Date()), new Date())),

    listQuarantine: (request) =>
      withStation(async (station) => {
        const [entries, releaseApprovals] = await Promise.all([station.quarantineList(), station.quarantineReleaseApprovals()]);
        const wanted = request.status ?? 'held';
        // Newest first, as the view lists them.
        const kept = entries.filter((e) => wanted === 'all' || e.status === wanted).sort((a, b) => (a.quarantinedAt < b.quarantinedAt ? 1 : -1));
        return { entries: kept, releaseApprovals };
      }),

    showQuarantine: (request) => withStation((station) => station.quarantineShow(request.id)),

    startQuarantineRelease: (request) =>
      withStation(async (station) => {
        const [{ entry }, releaseApprovals] = await Promise.all([station.quarantineShow(request.id), station.quarantineReleaseApprovals()]);
        if (entry.status !== 'held') throw new AirlockError('QUARANTINE_NOT_HELD', `"${displayText(entry.bundleName)}" is ${entry.status}.`);
        confirmOrRefuse(request.confirmName, entry.bundleName);
        const second = request.secondApprover;
        if (releaseApprovals === 2 && second === undefined) {
          throw new AirlockError('RELEASE_APPROVAL_INVALID', 'This station requires two persons to release: a second operator approves under their own name.');
        }
        if (second !== undefined && second.operator.toLowerCase() === station.identity.operator.toLowerCase()) {
          throw new AirlockError('RELEASE_APPROVAL_INVALID', 'The second approver must be a different operator from the one releasing.');
        }
        const approvers = [{ operator: station.identity.operator, reason: request.reason }, ...(second ? [second] : [])];
        return { jobId: jobHost.start('quarantine-release', { id: entry.id, destDir: request.destDir, approvers }) };
      }),

    purgeQuarantine: (request) =>
      withStation(async (station) => {
        const { entry } = await station.quarantineShow(request.id);
        if (entry.status !== 'held') throw new AirlockError('QUARANTINE_NOT_HELD', `"${displayText(entry.bundleName)}" is ${entry.status}.`);
        confirmOrRefuse(request.confirmName, entry.bundleName);
        return station.quarantinePurge(entry.id);
      }),
  };
}

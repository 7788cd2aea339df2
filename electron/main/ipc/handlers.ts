/**
 * What each IPC channel does, as plain functions over injected dependencies: no Electron here,
 * so unit tests and the end-to-end harness run exactly these handlers against a real Station
 * and a real job host. Requests arrive already parsed by the channel's schema (dispatch.ts).
 */
import { displayText } from '../../../shared/display-text.js';
import { normalizeFingerprint } from '../../../shared/fingerprint.js';
import type { FilePurpose, IpcMethod, IpcParsedRequest, IpcResponse, TrustedSignerView } from '../../../shared/ipc.js';
import type { MediaVolume } from '../../../shared/media.js';
import { AirlockError, assertChannelName, toAirlockError, type ListedSigner, type Station, type TrustedSigner } from '../../core/index.js';
import type { JobHost } from '../jobs/job-host.js';
import { listMediumBundles } from '../media/medium-bundles.js';
import { summarizeSelection } from '../selection/summarize-selection.js';
import { auditEventView } from './audit-view.js';
import { createKeyHandlers, type KeySavePurpose } from './key-handlers.js';
import { createInboxHandlers, type InboxStationOps } from './inbox-handlers.js';
import { createFeedHandlers } from './feed-handlers.js';
import { pushEndpointOf } from './push-endpoint.js';
import { createQuarantineHandlers } from './quarantine-handlers.js';
import { createTwoPersonHandlers, type TwoPersonStationOps } from './two-person-handlers.js';

/** Events per page when the view does not say. */
const AUDIT_PAGE_DEFAULT = 50;

/** Native dialogs, behind an interface so tests and the e2e harness answer with temp paths. */
export interface Dialogs {
  chooseExportSources(kind: 'files' | 'folders'): Promise<string[]>;
  /** 'staging-folder': main's own choice for the Staged exports view (never sent by the page). */
  chooseFolder(purpose: 'export-destination' | 'import-destination' | 'staging-folder'): Promise<string | null>;
  chooseBundle(): Promise<string | null>;
  /** Files that go with images; several only for charts; [] when the operator cancels. */
  chooseFile(purpose: FilePurpose): Promise<string[]>;
  chooseKeyFile(): Promise<string | null>;
  /** Where to save a public key or a key backup (main's own save dialog); null when the operator cancels. */
  chooseKeySaveFile(purpose: KeySavePurpose, defaultName: string): Promise<string | null>;
  /** Where to save an audit export; null when the operator cancels. */
  chooseAuditExportFile(format: 'csv' | 'json'): Promise<string | null>;
}

export type StationOps = Pick<
  Station,
  | 'identity'
  | 'paths'
  | 'hasKey'
  | 'generateKey'
  | 'listTrusted'
  | 'inspectKeyFile'
  | 'trustKeyFile'
  | 'untrustKey'
  | 'rotateKey'
  | 'exportPublicKey'
  | 'backupKey'
  | 'restoreKey'
  | 'importRevocation'
  | 'checkSigner'
  | 'listAudit'
  | 'checkpointAudit'
  | 'exportAuditToFile'
  | 'getSettings'
  | 'updateSettings'
  | 'close'
  | 'listMedia'
  | 'ejectMedia'
  | 'inspectionStatus'
  | 'quarantineList'
  | 'quarantineShow'
  | 'quarantinePurge'
  | 'nextChannelStamp'
> &
  InboxStationOps &
  TwoPersonStationOps;

export interface HandlerDeps {
  /** Opens the operator's station; each call gets its own and closes it when done. */
  openStation: () => Promise<StationOps>;
  jobHost: Pick<JobHost, 'start' | 'list' | 'get' | 'cancel'>;
  dialogs: Dialogs;
  version: string;
}

export type IpcHandlers = {
  [M in IpcMethod]: (request: IpcParsedRequest<M>) => Promise<IpcResponse<M>>;
};

/** The armored key stays in main; the UI needs who and which fingerprint. */
export function signerView({
  publicKey: _publicKey,
  ...view
}: TrustedSigner & { refusal?: ListedSigner['refusal']; warning?: ListedSigner['warning'] }): TrustedSignerView {
  return view;
}

export function createHandlers(deps: HandlerDeps): IpcHandlers {
  const withStation = async <T>(action: (station: StationOps) => Promise<T>): Promise<T> => {
    const station = await deps.openStation();
    try {
      return await action(station);
    } finally {
      station.close();
    }
  };

  /**
   * The medium the renderer names, by exact id among the media offered now: never core's looser
   * label or mount-point matching, and never an arbitrary folder (verifyMedia would take one).
   */
  const offeredMedium = async (station: StationOps, mediumId: string, use: 'read' | 'write'): Promise<MediaVolume> => {
    const media = await station.listMedia();
    const medium = media.find((v) => v.id === mediumId);
    if (!medium) {
      const present =
        media.length === 0 ? 'No media are detected now.' : `Detected now: ${media.map((v) => displayText(v.label ?? v.mountPoint ?? v.id)).join(', ')}.`;
      throw new AirlockError('MEDIA_NOT_LISTED', `"${displayText(mediumId)}" is not one of them. ${present}`);
    }
    const name = displayText(medium.label ?? medium.device ?? medium.id);
    if (medium.mountPoint === null) throw new AirlockError('MEDIA_NOT_MOUNTED', `${name} is not mounted.`, { path: medium.id });
    if (use === 'write' && medium.readOnly) throw new AirlockError('MEDIA_READONLY', `${name} is read-only.`, { path: medium.mountPoint });
    return medium;
  };

  const jobOrNotFound = (jobId: string) => {
    const job = deps.jobHost.get(jobId);
    if (!job) throw new AirlockError('JOB_NOT_FOUND', `No job has the id "${displayText(jobId)}".`);
    return job;
  };

  return {
    // Content inspection and the quarantine (issue #16): quarantine-handlers.ts.
    ...createQuarantineHandlers({ withStation, jobHost: deps.jobHost }),
    // The unattended inbox, channels and SIEM forwarding (issue #17): inbox-handlers.ts.
    ...createInboxHandlers({ withStation }),
    // Feed import, heartbeats, the next number on a channel: feed-handlers.ts.
    ...createFeedHandlers({
      withStation,
      jobHost: deps.jobHost,
      writableMedium: (mediumId) => withStation((station) => offeredMedium(station, mediumId, 'write')),
    }),
    // Two-person exports: prepare, the staged list, approve, finish, discard (two-person-handlers.ts).
    ...createTwoPersonHandlers({
      withStation,
      jobHost: deps.jobHost,
      writableMedium: (mediumId) => withStation((station) => offeredMedium(station, mediumId, 'write')),
      chooseStagingFolder: () => deps.dialogs.chooseFolder('staging-folder'),
    }),

    stationStatus: () =>
      withStation(async (station) => {
        const [hasKey, signers] = await Promise.all([station.hasKey(), station.listTrusted()]);
        // After a rotate the retired key keeps role "station" (it verifies earlier bundles): the current one is not retired.
        const own = signers.find((s) => s.role === 'station' && !s.retiredAt);
        return {
          version: deps.version,
          home: station.paths.root,
          station: station.identity.station,
          operator: station.identity.operator,
          hasKey,
          stationKey: hasKey && own ? signerView(own) : null,
        };
      }),

    generateKey: (request) =>
      withStation((station) =>
        station.generateKey({ name: request.name, passphrase: request.passphrase, email: request.email || undefined, algorithm: request.algorithm }),
      ),

    listTrusted: () => withStation(async (station) => ({ signers: (await station.listTrusted()).map(signerView) })),

    inspectKeyFile: (request) =>
      withStation(async (station) => {
        const { fingerprint, userIds, algorithm, created, expires } = await station.inspectKeyFile(request.file);
        return { fingerprint, userIds, algorithm, created, expires };
      }),

    trustKeyFile: (request) =>
      withStation(async (station) => {
        const expectedFingerprint = normalizeFingerprint(request.expectedFingerprint);
        const { signer, alreadyTrusted, sha1Subkeys } = await station.trustKeyFile(request.file, {
          expectedFingerprint,
          label: request.label || undefined,
          role: request.role,
        });
        return { signer: signerView(signer), alreadyTrusted, sha1Subkeys };
      }),

    untrustKey: (request) => withStation(async (station) => signerView(await station.untrustKey(request.fingerprint))),

    // The CLI's other keys commands (rotate, export-public, backup, restore, revoke-import): key-handlers.ts.
    ...createKeyHandlers({ withStation, dialogs: deps.dialogs, signerView }),

    chooseExportSources: async (request) => ({ paths: await deps.dialogs.chooseExportSources(request.kind) }),
    chooseFolder: async (request) => ({ path: await deps.dialogs.chooseFolder(request.purpose) }),
    chooseFile: async (request) => ({ paths: await deps.dialogs.chooseFile(request.purpose) }),
    chooseBundle: async () => ({ path: await deps.dialogs.chooseBundle() }),
    chooseKeyFile: async () => ({ path: await deps.dialogs.chooseKeyFile() }),

    summarizeSelection: (request) => summarizeSelection(request.paths),

    startExport: async (request) => {
      if (request.channel !== undefined) assertChannelName(request.channel);
      if (request.destination.kind === 'medium') {
        const { mediumId } = request.destination;
        await withStation((station) => offeredMedium(station, mediumId, 'write'));
      }
      return { jobId: deps.jobHost.start('export', request) };
    },
    startVerify: async (request) => ({ jobId: deps.jobHost.start('verify', request) }),
    startImport: async ({ pushTo, ...request }) => ({ jobId: deps.jobHost.start('import', { ...request, pushTo: pushTo && pushEndpointOf(pushTo) }) }),
    listJobs: async () => ({ jobs: deps.jobHost.list() }),
    getJob: async (request) => jobOrNotFound(request.jobId),

    // Removable media
    listMedia: (request) => withStation(async (station) => ({ media: await station.listMedia({ protectedPaths: request.sources }) })),
    listMediumBundles: (request) =>
      withStation(async (station) => {
        const medium = await offeredMedium(station, request.mediumId, 'read');
        const dir = medium.mountPoint as string;
        // A medium pulled while it is being listed: NOT_FOUND or IO_ERROR, never INTERNAL.
        const listing = await listMediumBundles(dir).catch((error: unknown) => {
          throw toAirlockError(error, dir);
        });
        return { medium, ...listing };
      }),
    startVerifyMedium: async (request) => {
      await withStation((station) => offeredMedium(station, request.mediumId, 'read'));
      return { jobId: deps.jobHost.start('verify-medium', { mediumId: request.mediumId, passphrase: request.passphrase }) };
    },
    ejectMedium: (request) =>
      withStation(async (station) => {
        const medium = await offeredMedium(station, request.mediumId, 'read');
        return station.ejectMedia(medium.id);
      }),
    // An unknown id is JOB_NOT_FOUND; a job that already ended answers cancelling: false.
    cancelJob: async (request) => {
      jobOrNotFound(request.jobId);
      return { cancelling: deps.jobHost.cancel(request.jobId) };
    },

    listAudit: (request) =>
      withStation(async (station) => {
        const limit = request.limit ?? AUDIT_PAGE_DEFAULT;
        // One more than asked: whether an older page exists, without counting the whole log.
        const events = station.listAudit({
          limit: limit + 1,
          type: request.type || undefined,
          outcome: request.outcome || undefined,
          since: request.since || undefined,
          until: request.until || undefined,
          text: request.text || undefined,
          beforeSeq: request.beforeSeq,
        });
        return { events: events.slice(0, limit).map(auditEventView), hasMore: events.length > limit };
      }),

    // A job (progress in events, Cancel): a long log takes seconds, as `audit verify` shows on a terminal.
    startVerifyAudit: async () => ({ jobId: deps.jobHost.start('audit-verify', {}) }),

    checkpointAudit: (request) =>
      withStation(async (station) => {
        const checkpoint = await station.checkpointAudit(request.passphrase);
        // The armored signature stays in the log; the view shows which event is signed, by which key.
        return { checkpoint: checkpoint && { seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, fingerprint: checkpoint.fingerprint } };
      }),

    exportAudit: async (request) => {
      const path = await deps.dialogs.chooseAuditExportFile(request.format);
      if (path === null) return { path: null, events: 0, checkpoints: 0 };
      return withStation((station) => station.exportAuditToFile(request.format, path));
    },

    getSettings: () => withStation((station) => station.getSettings()),

    saveSettings: (request) =>
      withStation(async (station) => {
        const { changes, auditEvent } = await station.updateSettings({
          config: request.config,
          policy: request.policy,
          language: request.language,
        });
        return { changes, auditEvent, settings: await station.getSettings() };
      }),
  };
}

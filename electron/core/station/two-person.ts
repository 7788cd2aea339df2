import { renameSync } from 'node:fs';
import { access, mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseManifest } from '../bundle/manifest.js';
import {
  addStagedSignature,
  combinedStagedSignature,
  loadStagedExport,
  removeStagedExport,
  saveStagedExport,
  withdrawStagedSignature,
  type StagedExport,
} from '../export/staged-bundle.js';
import { listStagedExports, listStagedIn, resolveDiscardTarget, retireStagedFolder, sweepRetiredStaged, type StagedEntry } from '../export/staged-list.js';
import {
  assertCarriesRecorded,
  assertFinishable,
  assertNotFinished,
  finishOf,
  recordedSigners,
  stagedEntryOnRecord,
  stagedSequence,
} from './staged-finish-guard.js';
import { imageEventRows } from '../audit/image-event-rows.js';
import { asStagedChange, stageImageLayout } from '../export/staged-images.js';
import { prepareBundle, writePreparedBundle, type PreparedBundle, type WriteBundleResult } from '../export/write-bundle.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import { resolveSigner, type SignerSpec } from '../crypto/signer-spec.js';
import { nextExportSequence } from '../db/station-db.js';
import { AirlockError } from '../errors.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { loadTrustedKeys } from '../keys/trust-store.js';
import { hasImageSources, prepareImagePayload } from '../oci/image-payload.js';
import { runAudited, type Audited, type OutcomeEvent } from './audited-operation.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { ChannelStamp } from '../../../shared/channels.js';
import type { MediaExportReport } from '../../../shared/media.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { StationContext } from './context.js';
import { withEarlyRenderer, type ReceiptRenderer } from '../receipts/pdf-render-early.js';
import { bundlePathIn } from './bundle-name.js';
import { completeExport, defaultBundleName, exportEvent, preparedStation, publishingNote, startChannelExportIntent, type ExportRun } from './export.js';
import { assertChannelName } from '../channels/channel-name.js';
import { nextChannelStamp } from '../channels/channel-send.js';
import { preparedChannelStamp } from '../channels/prepared-stamp.js';
import { requestedExportDetails } from './image-sources.js';
import type { ExportOutcome, FinishExportRequest, PrepareExportRequest, StagedSummary } from './requests.js';
import { requiredSigner, signerFor } from './signers.js';

// The two-person rule: one operator prepares and signs, another approves (adds a signature),
// then the bundle is written with every signature in its one .asc. Images are pulled (or copied)
// into the staged export at prepare, so approve shows and finish writes exactly what was signed.

/** Hash the selection and build the tag files, signed by the preparing operator; nothing is written to the output yet. */
export async function prepareExport(context: StationContext, request: PrepareExportRequest): Promise<StagedSummary> {
  const startedAt = new Date();
  const done = await runAudited(context, {
    type: 'export-prepare',
    failureDetails: requestedExportDetails(request),
    run: async (during) => {
      if (request.channel !== undefined) assertChannelName(request.channel);
      const signer = await requiredSigner(context, request.signer, request.passphrase);
      const sequence = nextExportSequence(context.database());
      const name = request.name ?? defaultBundleName(sequence, startedAt);
      const dir = resolve(request.stagingDir ?? join(context.paths.root, 'staged', name));
      if (await exists(dir)) throw new AirlockError('OUTPUT_EXISTS', `${dir} already exists.`, { path: dir });
      // The number is signed now and confirmed at finish: if another bundle takes it meanwhile, finish refuses (CHANNEL_STAMP_STALE).
      const channel = request.channel === undefined ? undefined : nextChannelStamp(context.database(), request.channel, false);
      const bundle = { selection: request.selection, name, sequence, identity: context.identity, channel, now: startedAt, signal: request.signal };
      let prepared: PreparedBundle;
      let images: StagedExport['images'] = null;
      // A prepare that fails once its folder exists, its event included (a full home), removes the
      // folder: a failed prepare leaves its name free and nothing listed (faults11, full-disk-round2).
      let made = false;
      try {
        if (!hasImageSources(request)) {
          prepared = await prepareBundle({ ...bundle, tracker: new ProgressTracker(request.onProgress) });
          await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
          await mkdir(dir, { mode: 0o700 });
          made = true;
          await saveStagedExport(dir, prepared);
        } else {
          // It removes the folder itself if it fails.
          ({ prepared, images } = await prepareWithImages(context, request, dir, bundle));
          made = true;
        }
        const staged: StagedExport = { dir, prepared, signatures: [], images };
        await addStagedSignature(staged, signer);
        during.outcomeNow(preparedEvent(staged));
        return staged;
      } catch (error) {
        if (made) await removeStagedExport(dir);
        throw error;
      }
    },
    succeeded: preparedEvent,
  });
  return summarizeStaged(done.value, await loadTrustedKeys(context.paths));
}

/**
 * A prepare with images: the staged folder first (the images are pulled and unpacked inside it,
 * then laid out in its oci/ folder), then the hashing pass over the selection and the staged
 * layout, each blob checked against its name. A failure removes the folder this prepare made.
 */
async function prepareWithImages(
  context: StationContext,
  request: PrepareExportRequest,
  dir: string,
  bundle: Omit<Parameters<typeof prepareBundle>[0], 'tracker'>,
): Promise<{ prepared: PreparedBundle; images: StagedExport['images'] }> {
  await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
  await mkdir(dir, { mode: 0o700 });
  try {
    const payload = await prepareImagePayload(request, {
      workParent: dir,
      trustedKeys: () => loadTrustedKeys(context.paths),
      signal: request.signal,
      onProgress: request.onProgress,
    });
    let extraFiles;
    try {
      extraFiles = await stageImageLayout(dir, payload, request.signal);
    } finally {
      await payload.cleanup();
    }
    const prepared = await prepareBundle({
      ...bundle,
      extraFiles,
      checkPayload: (hashed) => payload.check(hashed),
      tracker: new ProgressTracker(request.onProgress),
    });
    await saveStagedExport(dir, prepared, { images: true });
    // Read back as approve will: the summary shows what the staged folder holds, not what memory says.
    return { prepared, images: (await loadStagedExport(dir, { unsigned: 'allowed' })).images };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The staged exports in this home's staged/ folder, ready or not (a prepare that failed half-way);
 * or those in `stagingDir` (one prepared with `--staging DIR`, or a folder holding such).
 */
export async function listStaged(context: StationContext, options: { stagingDir?: string | undefined } = {}): Promise<StagedEntry[]> {
  const entries = options.stagingDir === undefined ? await listStagedExports(context.paths.root) : await listStagedIn(options.stagingDir);
  if (!entries.some((e) => e.state === 'ready')) return entries;
  // Read as approve and finish read it: a home that cannot take a write still lists.
  const db = context.readDatabase();
  return entries.map((entry) => stagedEntryOnRecord(db, entry));
}

/** Remove a staged export (by name in staged/, or its folder), on record: its name is free again. */
export async function discardStaged(context: StationContext, nameOrDir: string): Promise<{ dir: string; name: string }> {
  const done = await runAudited(context, {
    type: 'export-discard',
    failureDetails: { staged: nameOrDir },
    run: async (during) => {
      const dir = await resolveDiscardTarget(context.paths.root, nameOrDir);
      await sweepRetiredStaged(dirname(dir));
      const db = context.database();
      // The check, the rename out of its name and the event in one transaction: a finish's intent (its own
      // transaction) comes wholly before or after it, and a kill leaves it either listed or gone on record.
      const held: { moved: string | null } = { moved: null };
      try {
        db.transaction(() => {
          context.settleInterrupted();
          const sequence = stagedSequence(dir);
          if (sequence !== null && finishOf(db, sequence)?.status === 'pending') assertNotFinished(db, dir, sequence);
          held.moved = retireStagedFolder(dir);
          during.outcomeNow({ outcome: 'ok', bundleName: basename(dir), details: { stagedDir: dir } });
        }).immediate();
      } catch (error) {
        // The event did not commit: the staged export goes back under its name.
        if (held.moved !== null) renameSync(held.moved, dir);
        throw error;
      }
      if (held.moved !== null) await removeStagedExport(held.moved);
      return { dir, name: basename(dir) };
    },
    succeeded: () => null,
  });
  return done.value;
}

/** What an approver is about to sign: the signed manifest's files and totals, and who signed so far. */
export async function describeStaged(context: StationContext, dir: string): Promise<StagedSummary> {
  const done = await runAudited(context, {
    // A staged export that fails its checks is what an approver must not sign: on record. Reading one records nothing.
    type: 'export-approve',
    failureDetails: { stagedDir: dir },
    run: () => loadStagedExport(resolve(dir)),
    succeeded: () => null,
  });
  return summarizeStaged(done.value, await loadTrustedKeys(context.paths));
}

export async function approveStaged(context: StationContext, dir: string, spec: SignerSpec): Promise<StagedSummary> {
  const done = await runAudited(context, {
    type: 'export-approve',
    failureDetails: { stagedDir: dir },
    run: async (during) => {
      const staged = onRecord(context, await loadStagedExport(resolve(dir)));
      // A staged export whose bundle is out (a finish killed after it published) takes no approval the bundle lacks.
      assertNotFinished(context.database(), staged.dir, staged.prepared.sequence);
      const signature = await addStagedSignature(staged, await resolveSigner(context.paths, spec));
      const db = context.database();
      try {
        // Checked again with the event, under SQLite's write lock: a finish that took its intent since the check above
        // read the signatures without this one (the finish checks the approvals on record in its own intent's transaction).
        db.transaction(() => {
          assertNotFinished(db, staged.dir, staged.prepared.sequence);
          during.outcomeNow(stagedEvent(staged));
        }).immediate();
      } catch (error) {
        // Refused, or the log cannot take the approval (a full home): its signature goes too, so the folder holds no approval the log lacks.
        await withdrawStagedSignature(staged, signature);
        throw error;
      }
      return staged;
    },
    succeeded: stagedEvent,
  });
  return summarizeStaged(done.value, await loadTrustedKeys(context.paths));
}

/** Write the staged bundle with every signature in its one .asc; the staging directory is removed after. */
export async function finishExport(context: StationContext, request: FinishExportRequest): Promise<ExportOutcome> {
  // The receipt's PDF renderer starts now and warms up beside the bundle's writing (pdf-render-early.ts).
  return withEarlyRenderer(undefined, (renderer) => finishExportWith(context, request, renderer));
}

async function finishExportWith(context: StationContext, request: FinishExportRequest, renderer: ReceiptRenderer | undefined): Promise<ExportOutcome> {
  const startedAt = new Date();
  const details = { stagedDir: request.stagedDir, outDir: request.outDir };
  const done = await runAudited(context, {
    type: 'export',
    failureDetails: details,
    run: async (during) => {
      const signer = await signerFor(context, request.signer, request.passphrase);
      const { staged, name, sequence, station, stamp } = await loadForFinish(context, request.stagedDir);
      const { intent } = await startChannelExportIntent(
        context,
        during,
        {
          kind: 'folder',
          name,
          sequence,
          station,
          path: bundlePathIn(request.outDir, name),
          details,
          inTransaction: finishableCheck(context, staged, sequence),
        },
        stamp === null ? null : { confirm: stamp },
        request.signal,
      );
      const result = await writeStagedBundle(staged, {
        outDir: request.outDir,
        onProgress: request.onProgress,
        signal: request.signal,
        beforePublish: publishingNote(context, intent, stamp),
      });
      return { result, signer, intent, staged, stamp };
    },
    succeeded: ({ result, intent, staged, stamp }) => exportEvent(context, result, intent, null, staged.images ?? undefined, stamp),
  });
  return completeFinish(context, done, { startedAt, media: null, onProgress: request.onProgress, renderer });
}

/** A staged export checked again for its finish: what it is, which station prepared it, the channel number fixed at prepare. */
export async function loadForFinish(
  context: StationContext,
  stagedDir: string,
): Promise<{
  staged: StagedExport;
  name: string;
  sequence: number;
  station: string | undefined;
  stamp: ChannelStamp | null;
}> {
  const staged = onRecord(context, await loadStagedExport(resolve(stagedDir)));
  const { name, sequence } = staged.prepared;
  return {
    staged,
    name,
    sequence,
    station: preparedStation(staged.prepared.tags.files) ?? undefined,
    stamp: preparedChannelStamp(staged.prepared.tags.files),
  };
}

/** The staged bundle written with every signature combined in its one .asc (to a folder, or through a media output). */
export async function writeStagedBundle(staged: StagedExport, options: Omit<Parameters<typeof writePreparedBundle>[2], 'signers'>): Promise<WriteBundleResult> {
  return writePreparedBundle(staged.prepared, await combinedStagedSignature(staged), {
    ...options,
    signers: staged.signatures.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds })),
  }).catch((error: unknown) => {
    // A staged layout file whose bytes changed behind an unchanged size and time: the staged export is invalid.
    throw asStagedChange(error, staged.dir);
  });
}

/** After the export event: checkpoint and receipt (signed by the finishing operator's key when one is given), then the staged folder goes. */
export async function completeFinish(
  context: StationContext,
  done: Audited<ExportRun & { staged: StagedExport }, AuditEvent>,
  options: { startedAt: Date; media: MediaExportReport | null; onProgress: ProgressListener | undefined; renderer: ReceiptRenderer | undefined },
): Promise<ExportOutcome> {
  const outcome = await completeExport(context, done, { ...options, twoPerson: done.value.staged.signatures.length > 1 });
  // Out of its name in one rename first: a kill during the removal leaves a hidden folder, not a half-removed staged export.
  await removeStagedExport(retireStagedFolder(done.value.staged.dir));
  return { ...outcome, images: done.value.staged.images ?? undefined, channel: done.value.stamp ?? undefined };
}

/** One staged export, one bundle: checked in the finish's intent transaction (no other finish running or done, not discarded since it was loaded). */
export function finishableCheck(context: StationContext, staged: StagedExport, sequence: number): () => Record<string, never> {
  return () => {
    assertFinishable(context.database(), staged.dir, sequence);
    assertCarriesRecorded(
      context.database(),
      staged.dir,
      staged.prepared.tags.uuid,
      staged.signatures.map((s) => s.fingerprint),
    );
    return {};
  };
}

/**
 * Only the signatures on record count (recordedSigners): one a kill left without its event is
 * neither written into the bundle nor counted as signed, and its signer may approve again.
 */
function onRecord(context: StationContext, staged: StagedExport): StagedExport {
  const recorded = recordedSigners(context.database(), staged.prepared.tags.uuid);
  const signatures = staged.signatures.filter((s) => recorded.has(s.fingerprint));
  if (signatures.length === 0) {
    throw new AirlockError('STAGED_INVALID', `${staged.dir}: no signature of it is on record in this station's audit log (its prepare did not finish here)`, {
      path: staged.dir,
    });
  }
  return { ...staged, signatures };
}

/** A prepare's event: a staged export's, with its files and bytes. */
function preparedEvent(staged: StagedExport): OutcomeEvent {
  return { ...stagedEvent(staged), files: staged.prepared.payload.length, bytes: staged.prepared.tags.payloadBytes };
}

/** A staged export's event: which bundle, who has signed it so far, where it is staged. */
function stagedEvent(staged: StagedExport): OutcomeEvent {
  return {
    outcome: 'ok',
    bundleUuid: staged.prepared.tags.uuid,
    bundleName: staged.prepared.name,
    signers: staged.signatures.map((s) => s.fingerprint),
    // What was prepared or approved, image by image: who let which digest through is on record.
    details: { stagedDir: staged.dir, images: staged.images ? imageEventRows(staged.images.images) : undefined },
  };
}

/** Files and totals come from the signed manifest, not from staged.json, so the approver sees what is signed. */
function summarizeStaged(staged: StagedExport, trusted: TrustedKey[]): StagedSummary {
  const manifest = parseManifest((staged.prepared.tags.files.find((t) => t.name === 'manifest-sha256.txt')?.bytes ?? Buffer.alloc(0)).toString('utf8'));
  return {
    stagedDir: staged.dir,
    name: staged.prepared.name,
    uuid: staged.prepared.tags.uuid,
    files: manifest.ok ? manifest.entries : [],
    totalBytes: staged.prepared.tags.payloadBytes,
    signatures: staged.signatures.map((s) => {
      const known = trusted.find((t) => t.fingerprint === s.fingerprint);
      return { fingerprint: s.fingerprint, userIds: s.userIds, trustedLabel: known?.label ?? null, role: known?.role ?? null };
    }),
    images: staged.images ?? undefined,
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

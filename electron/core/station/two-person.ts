import { access, mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseManifest } from '../bundle/manifest.js';
import {
  addStagedSignature,
  combinedStagedSignature,
  loadStagedExport,
  removeStagedExport,
  saveStagedExport,
  type StagedExport,
} from '../export/staged-bundle.js';
import { discardStagedExport, listStagedExports, resolveDiscardTarget, type StagedEntry } from '../export/staged-list.js';
import { imageEventRows } from '../audit/image-event-rows.js';
import { asStagedChange, stageImageLayout } from '../export/staged-images.js';
import { prepareBundle, writePreparedBundle, type PreparedBundle } from '../export/write-bundle.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import { resolveSigner, type SignerSpec } from '../crypto/signer-spec.js';
import { nextExportSequence } from '../db/station-db.js';
import { AirlockError } from '../errors.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { loadTrustedKeys } from '../keys/trust-store.js';
import { hasImageSources, prepareImagePayload } from '../oci/image-payload.js';
import { runAudited, type OutcomeEvent } from './audited-operation.js';
import type { StationContext } from './context.js';
import { withEarlyRenderer, type ReceiptRenderer } from '../receipts/pdf-render-early.js';
import { bundlePathIn } from './bundle-name.js';
import { completeExport, defaultBundleName, exportEvent, preparedStation, publishingNote, startChannelExportIntent } from './export.js';
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
    run: async () => {
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
      if (!hasImageSources(request)) {
        prepared = await prepareBundle({ ...bundle, tracker: new ProgressTracker(request.onProgress) });
        await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
        await mkdir(dir, { mode: 0o700 });
        await saveStagedExport(dir, prepared);
      } else {
        ({ prepared, images } = await prepareWithImages(context, request, dir, bundle));
      }
      const staged: StagedExport = { dir, prepared, signatures: [], images };
      await addStagedSignature(staged, signer);
      return staged;
    },
    succeeded: (staged) => ({ ...stagedEvent(staged), files: staged.prepared.payload.length, bytes: staged.prepared.tags.payloadBytes }),
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
    return { prepared, images: (await loadStagedExport(dir)).images };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The staged exports in this home's staged/ folder, ready or not (a prepare that failed half-way). */
export function listStaged(context: StationContext): Promise<StagedEntry[]> {
  return listStagedExports(context.paths.root);
}

/** Remove a staged export (by name in staged/, or its folder), on record: its name is free again. */
export async function discardStaged(context: StationContext, nameOrDir: string): Promise<{ dir: string; name: string }> {
  const done = await runAudited(context, {
    type: 'export-discard',
    failureDetails: { staged: nameOrDir },
    run: async () => discardStagedExport(await resolveDiscardTarget(context.paths.root, nameOrDir)),
    succeeded: (removed) => ({ outcome: 'ok', bundleName: removed.name, details: { stagedDir: removed.dir } }),
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
    run: async () => {
      const staged = await loadStagedExport(resolve(dir));
      await addStagedSignature(staged, await resolveSigner(context.paths, spec));
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
      const staged = await loadStagedExport(resolve(request.stagedDir));
      const { name, sequence } = staged.prepared;
      const station = preparedStation(staged.prepared.tags.files) ?? context.identity.station;
      const stamp = preparedChannelStamp(staged.prepared.tags.files);
      const { intent } = await startChannelExportIntent(
        context,
        during,
        { kind: 'folder', name, sequence, station, path: bundlePathIn(request.outDir, name), details },
        stamp === null ? null : { confirm: stamp },
        request.signal,
      );
      const result = await writePreparedBundle(staged.prepared, await combinedStagedSignature(staged), {
        outDir: request.outDir,
        signers: staged.signatures.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds })),
        onProgress: request.onProgress,
        signal: request.signal,
        beforePublish: publishingNote(context, intent, stamp),
      }).catch((error: unknown) => {
        // A staged layout file whose bytes changed behind an unchanged size and time: the staged export is invalid.
        throw asStagedChange(error, staged.dir);
      });
      return { result, signer, intent, staged, stamp };
    },
    succeeded: ({ result, intent, staged, stamp }) => exportEvent(context, result, intent, null, staged.images ?? undefined, stamp),
  });
  // The receipt is signed by the finishing operator's key when one is given (else unsigned).
  const outcome = await completeExport(context, done, {
    startedAt,
    media: null,
    twoPerson: done.value.staged.signatures.length > 1,
    onProgress: request.onProgress,
    renderer,
  });
  await removeStagedExport(done.value.staged.dir);
  return { ...outcome, images: done.value.staged.images ?? undefined, channel: done.value.stamp ?? undefined };
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

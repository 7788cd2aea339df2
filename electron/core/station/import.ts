import { imageEventRows } from '../audit/image-event-rows.js';
import { verificationEventFields } from '../audit/verification-event.js';
import { importChecks } from '../audit/receipt-checks.js';
import { writeReceipt } from '../audit/receipt.js';
import { withEarlyRenderer } from '../receipts/pdf-render-early.js';
import { receiptPdfOptions } from '../receipts/receipt-options.js';
import { buildTransferReceipt } from '../audit/transfer-receipt.js';
import { importBundle, type ImportResult } from '../import/import-bundle.js';
import { refusedWhileImported } from '../import/import-types.js';
import { JOB_PLANS, withJobEta } from '../jobs/job-eta.js';
import { loadTrustedKeys } from '../keys/trust-store.js';
import { throughParts } from '../media/parts/split-route.js';
import { policyNotReached } from '../policy/policy-findings.js';
import { readStationPolicy } from '../policy/station-policy.js';
import { AirlockError } from '../errors.js';
import { receiptNotWritten } from './receipt-not-written.js';
import { runAudited, type OutcomeEvent } from './audited-operation.js';
import { openBundle, routeBundle } from './bundle-source.js';
import type { StationContext } from './context.js';
import type { AuditTrail, ImportOutcome, ImportRequest } from './requests.js';
import { keepRefusedBundle, type QuarantineKeepOutcome } from './quarantine-keep.js';
import type { Problem } from '../../../shared/problems.js';
import { checkpointWith, signerFor } from './signers.js';
import { inspectionRecord } from '../inspect/inspection-record.js';
import { channelAuditDetails, channelReceipt } from '../channels/channel-receive.js';
import { openInspection } from './inspection.js';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PushOnImport } from '../oci/push/push-on-import.js';
import { pushSpoolDir, removeSpooled, sweepPushSpool } from '../oci/push/push-spool.js';
import { registryClientFor } from '../oci/push/registry-client-for.js';
import { endpointTarget } from '../oci/push/push-images.js';
import type { RegistryClientApi } from '../oci/registry/registry-api.js';
import { pastCommitProgress, reportingWhile } from '../jobs/progress-heartbeat.js';

/**
 * Verify and import a bundle atomically. An import that got as far as its claim records its
 * event inside the transaction that settles the claim (import-bundle.ts), so the ledger and the
 * audit log change together; one stopped before that records it here. Then the checkpoint and
 * the receipt, both signed when the station key is unlocked.
 */
export async function importInto(context: StationContext, request: ImportRequest, release?: ReleaseImport): Promise<ImportOutcome> {
  // The receipt's PDF renderer starts now and warms up beside the verify pass (pdf-render-early.ts).
  return withEarlyRenderer(request.pdfRenderer, async (pdfRenderer) => {
    const withRenderer = { ...request, pdfRenderer };
    if (!request.pushTo) return importWith(context, withRenderer, null, release ?? null);
    const client = await registryClientFor(request.pushTo);
    try {
      return await importWith(context, withRenderer, client, release ?? null);
    } finally {
      await client.close();
    }
  });
}

/**
 * A quarantine release's import (station/quarantine.ts): the kept bundle verified again in full,
 * the findings recorded at quarantine accepted, nothing kept again when it is refused.
 */
export interface ReleaseImport {
  id: string;
  acceptFinding: (found: Problem) => boolean;
  /** The tag manifest recorded at quarantine (and approved): a different bundle is never imported. */
  tagmanifestSha256: string | null;
}

async function importWith(
  context: StationContext,
  request: ImportRequest,
  client: RegistryClientApi | null,
  release: ReleaseImport | null,
): Promise<ImportOutcome> {
  const startedAt = new Date();
  // Set on the refused path before the refusal's event is recorded, so the event names it.
  let quarantined: QuarantineKeepOutcome | null = null;
  const push =
    request.pushTo && client
      ? new PushOnImport({
          endpoint: request.pushTo,
          client,
          db: context.database(),
          destGiven: request.destDir !== undefined,
          signal: request.signal,
          onProgress: request.onProgress,
        })
      : null;
  // Without --dest the payload (images only) is staged and committed in the station's spool, then removed.
  const spool = request.destDir === undefined ? await pushSpoolDir(context.paths.spool) : null;
  if (spool !== null) await sweepPushSpool(spool, context.database());
  const destDir = request.destDir ?? spool;
  if (destDir === null) throw new AirlockError('USAGE', 'Give a destination folder, or a registry to push the images to.');
  const importEvent = (result: ImportResult): OutcomeEvent => ({
    ...verificationEventFields(result),
    details: {
      bundlePath: request.bundlePath,
      images: result.images ? imageEventRows(result.images) : undefined,
      destDir: request.destDir ?? null,
      destination: spool === null ? result.destination : null,
      replayOf: result.replayOf,
      warnings: result.warnings,
      inspection: inspectionRecord(result.inspection),
      channel: channelAuditDetails(result.channel),
      ...(result.heartbeat === true ? { direction: 'received' } : {}),
      ...pushDetails(request, push),
      ...(quarantined === null ? {} : { quarantine: quarantined }),
      ...(release === null ? {} : { quarantineRelease: release.id, overridden: overriddenDetails(result) }),
    },
    fileRows: result.payloadFiles,
  });
  const done = await runAudited(context, {
    type: 'import',
    failureDetails: { bundlePath: request.bundlePath, destDir: request.destDir ?? null, ...pushDetails(request, push) },
    run: async (during) => {
      const streamed = await openBundle(request);
      const signer = await signerFor(context, request.signer, request.passphrase);
      const [trusted, policy] = await Promise.all([loadTrustedKeys(context.paths), readStationPolicy(context.paths)]);
      const { split, source } = await routeBundle(context, streamed, request, trusted, policy.clockSkewSeconds);
      const keepRefused =
        release === null
          ? async (rejected: ImportResult): Promise<void> => {
              quarantined = await keepRefusedBundle(context, request, split, rejected, policy.inspect);
            }
          : undefined;
      // Content inspection (issue #16): the scanner's status is asked now, before the bundle is read.
      const inspection = await openInspection(policy, new Date(), request.signal);
      // Only pushing, from one plain file: large blobs are read again from the bundle, not spooled (bundle-blobs.ts).
      // Not when inspecting: inspection reads archives (image layers too) back from the staged copy.
      const leaveBlobs = spool !== null && source === undefined && inspection === null ? await push?.leaveBlobsIn(request.bundlePath) : undefined;
      try {
        const result = await throughParts(
          split,
          request.bundlePath,
          () =>
            importBundle({
              bundlePath: request.bundlePath,
              source,
              destDir,
              trusted,
              policy,
              db: context.database(),
              operator: context.identity.operator,
              allowReplay: request.allowReplay,
              signal: request.signal,
              onProgress: withJobEta(JOB_PLANS.import, request.onProgress),
              settleInterrupted: () => context.settleInterrupted(),
              beforeCommit: push?.beforeCommit,
              pushRetry: push?.pushRetry,
              inspection: inspection?.inspector,
              // The spool's copy lives only until the push has read it: flushing it to disk buys nothing (push-spool.ts).
              durable: spool === null,
              digestSpill: { dir: context.paths.spool },
              payloadSink: leaveBlobs,
              acceptFinding: release?.acceptFinding,
              expectTagmanifest: release?.tagmanifestSha256,
              beforeRefusalRecorded: keepRefused,
              recordSettlement: (settlement) => {
                if (settlement.kind === 'failed') during.failureNow(settlement.error);
                // A heartbeat received: its own event type (docs/channels.md), nothing imported.
                else if (settlement.kind === 'heartbeat') during.outcomeNow(importEvent(settlement.result), 'heartbeat');
                else {
                  during.outcomeNow(importEvent(settlement.result));
                  // In the claim's transaction, with the event naming the pushes (a kill before it: recovery names them from the journal).
                  if (settlement.kind === 'imported') push?.eventRecorded();
                }
              },
            }),
          (rejected) => ({
            ...rejected,
            policy: policyNotReached(policy.limits, policy.clockSkewSeconds, policy.requiredSigners),
            destination: null,
            warnings: [],
            payloadFiles: [],
            replayOf: null,
            inspection: inspection?.inspector.summary(),
          }),
          { compareTagmanifest: false },
        );
        return { result, signer };
      } finally {
        await inspection?.close();
      }
    },
    // A watcher's try while another import of the bundle runs: a wait, not a refusal; its later try is recorded.
    // A push retry (no claim) records its event here: the push journal goes in that event's transaction.
    succeeded: ({ result }) =>
      request.deferWhileImported === true && refusedWhileImported(result)
        ? null
        : { ...importEvent(result), alongside: result.ok ? push?.eventRecorded : undefined },
  });
  const { result, signer } = done.value;
  const event = done.event;
  const { payloadFiles: _payloadFiles, ...rest } = result;
  const pushed = push?.outcome() ?? null;
  const kept = quarantined as QuarantineKeepOutcome | null;
  const outcome: Omit<ImportOutcome, keyof AuditTrail> = {
    ...rest,
    pushes: pushed?.pushes,
    quarantine: kept?.kept ? { id: kept.id, path: kept.path } : undefined,
  };
  // Only ever a folder inside the spool: a push retry reports the earlier import's destination, which may be the operator's folder.
  if (spool !== null && result.destination !== null && dirname(result.destination) === spool) {
    // The images are in the registry (or failed there); the spooled copy has served its purpose.
    await removeSpooled(result.destination).catch(() => undefined);
    outcome.destination = null;
  }
  if (pushed !== null && pushed.pushes.length === 0) outcome.warnings.push('The bundle carries no images; nothing was pushed.');
  const recovered = context.takeRecovered();
  if (recovered) {
    // Said once, by the first import after the database was opened.
    outcome.warnings.push(
      `Recorded ${recovered.events.length} import(s) or export(s) interrupted earlier (killed or power lost); see \`airlock audit list\` (details.recovered).`,
    );
  }
  if (event === null) return { ...outcome, auditEvent: null, checkpoint: null, receipt: null };
  if (!result.ok || result.destination === null) return { ...outcome, auditEvent: event.seq, checkpoint: null, receipt: null };
  // Past the commit point (issue #18): the receipts phase, drawn again while the PDF is rendered apart.
  const receiptsPhase = reportingWhile(request.onProgress, pastCommitProgress('writing-receipts', result.bundle.files), async () => {
    const receiptDir = request.destDir ?? join(context.paths.root, 'receipts');
    await mkdir(receiptDir, { recursive: true, mode: 0o700 });
    const checkpoint = await checkpointWith(context, signer);
    if (!signer) outcome.warnings.push('The receipt and the audit checkpoint are unsigned: no passphrase was given to unlock the station key.');
    const receipt = await writeReceipt(
      receiptDir,
      buildTransferReceipt('import', context.identity, {
        bundle: { name: result.bundle.name ?? '', uuid: result.bundle.uuid, tagmanifestSha256: result.bundle.tagmanifestSha256, path: request.bundlePath },
        signers: result.signers,
        checks: importChecks(result),
        media: null,
        files: result.bundle.files,
        bytes: result.bundle.bytes,
        destination: outcome.destination,
        registry: pushed?.registry ?? null,
        inspection: inspectionRecord(result.inspection),
        channel: channelReceipt(result.channel?.stamp, result.channel?.findings),
        startedAt,
        event,
        checkpoint,
      }),
      signer,
      { ...receiptPdfOptions(context, event, false), renderer: request.pdfRenderer },
    );
    return { checkpoint, receipt };
  });
  // The import is committed and recorded: a full or unwritable receipt folder must not read as "nothing imported, try again" (fault harness, full-disk-import-dest).
  const { checkpoint, receipt } = await receiptsPhase.catch(
    receiptNotWritten(`The import is in place at ${result.destination}`, event.seq, request.destDir ?? join(context.paths.root, 'receipts')),
  );
  if (receipt.pdfProblem !== undefined) outcome.warnings.push(receipt.pdfProblem);
  return { ...outcome, auditEvent: event.seq, checkpoint, receipt };
}

/** A release's overridden findings as the audit event records them: code, file and member, no scanner text beyond the message. */
function overriddenDetails(result: ImportResult): Array<{ code: string; path: string | null; members: string[]; count: number }> {
  return (result.overridden ?? []).map((p) => ({ code: p.code, path: p.path ?? null, members: p.members ?? [], count: p.count ?? 1 }));
}

/** The push's part of the audit event: per image repository, tag, digest and outcome (with the registry's code when it failed). */
function pushDetails(request: ImportRequest, push: PushOnImport | null): Record<string, unknown> {
  if (!request.pushTo || !push) return {};
  const pushes = push.outcome()?.pushes ?? null;
  return {
    pushTo: endpointTarget(request.pushTo),
    pushes:
      pushes?.map((p) => ({
        repository: p.repository,
        tag: p.tag,
        digest: p.digest,
        outcome: p.outcome,
        blobs: p.blobs,
        bytesSent: p.bytesSent,
        errorCode: p.errorCode ?? null,
      })) ?? null,
  };
}

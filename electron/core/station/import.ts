import { verificationEventFields } from '../audit/verification-event.js';
import { importChecks } from '../audit/receipt-checks.js';
import { writeReceipt } from '../audit/receipt.js';
import { buildTransferReceipt } from '../audit/transfer-receipt.js';
import { importBundle, type ImportResult } from '../import/import-bundle.js';
import { JOB_PLANS, withJobEta } from '../jobs/job-eta.js';
import { loadTrustedKeys } from '../keys/trust-store.js';
import { throughParts } from '../media/parts/split-route.js';
import { policyNotReached } from '../policy/policy-findings.js';
import { readStationPolicy } from '../policy/station-policy.js';
import { runAudited, type OutcomeEvent } from './audited-operation.js';
import { openBundle, routeBundle } from './bundle-source.js';
import type { StationContext } from './context.js';
import type { ImportOutcome, ImportRequest } from './requests.js';
import { checkpointWith, signerFor } from './signers.js';

/**
 * Verify and import a bundle atomically. An import that got as far as its claim records its
 * event inside the transaction that settles the claim (import-bundle.ts), so the ledger and the
 * audit log change together; one stopped before that records it here. Then the checkpoint and
 * the receipt, both signed when the station key is unlocked.
 */
export async function importInto(context: StationContext, request: ImportRequest): Promise<ImportOutcome> {
  const startedAt = new Date();
  const importEvent = (result: ImportResult): OutcomeEvent => ({
    ...verificationEventFields(result),
    details: {
      bundlePath: request.bundlePath,
      destDir: request.destDir,
      destination: result.destination,
      replayOf: result.replayOf,
      warnings: result.warnings,
    },
    fileRows: result.payloadFiles,
  });
  const done = await runAudited(context, {
    type: 'import',
    failureDetails: { bundlePath: request.bundlePath, destDir: request.destDir },
    run: async (during) => {
      const streamed = await openBundle(request);
      const signer = await signerFor(context, request.signer, request.passphrase);
      const [trusted, policy] = await Promise.all([loadTrustedKeys(context.paths), readStationPolicy(context.paths)]);
      const { split, source } = await routeBundle(context, streamed, request, trusted, policy.clockSkewSeconds);
      const result = await throughParts(
        split,
        request.bundlePath,
        () =>
          importBundle({
            bundlePath: request.bundlePath,
            source,
            destDir: request.destDir,
            trusted,
            policy,
            db: context.database(),
            operator: context.identity.operator,
            allowReplay: request.allowReplay,
            signal: request.signal,
            onProgress: withJobEta(JOB_PLANS.import, request.onProgress),
            settleInterrupted: () => context.settleInterrupted(),
            recordSettlement: (settlement) => {
              if (settlement.kind === 'failed') during.failureNow(settlement.error);
              else during.outcomeNow(importEvent(settlement.result));
            },
          }),
        (rejected) => ({
          ...rejected,
          policy: policyNotReached(policy.limits, policy.clockSkewSeconds, policy.requiredSigners),
          destination: null,
          warnings: [],
          payloadFiles: [],
          replayOf: null,
        }),
        { compareTagmanifest: false },
      );
      return { result, signer };
    },
    succeeded: ({ result }) => importEvent(result),
  });
  const { result, signer } = done.value;
  const event = done.event;
  const { payloadFiles: _payloadFiles, ...outcome } = result;
  const recovered = context.takeRecovered();
  if (recovered) {
    // Said once, by the first import after the database was opened.
    outcome.warnings.push(
      `Recorded ${recovered.events.length} import(s) or export(s) interrupted earlier (killed or power lost); see \`airlock audit list\` (details.recovered).`,
    );
  }
  if (!result.ok || result.destination === null) return { ...outcome, auditEvent: event.seq, checkpoint: null, receipt: null };
  const checkpoint = await checkpointWith(context, signer);
  if (!signer) outcome.warnings.push('The receipt and the audit checkpoint are unsigned: no passphrase was given to unlock the station key.');
  const receipt = await writeReceipt(
    request.destDir,
    buildTransferReceipt('import', context.identity, {
      bundle: { name: result.bundle.name ?? '', uuid: result.bundle.uuid, tagmanifestSha256: result.bundle.tagmanifestSha256, path: request.bundlePath },
      signers: result.signers,
      checks: importChecks(result),
      media: null,
      files: result.bundle.files,
      bytes: result.bundle.bytes,
      destination: result.destination,
      startedAt,
      event,
      checkpoint,
    }),
    signer,
  );
  return { ...outcome, auditEvent: event.seq, checkpoint, receipt };
}

import type { PolicyFinding, VerifyResult } from '../../../shared/results.js';
import { imageEventRows } from '../audit/image-event-rows.js';
import { verificationEventFields } from '../audit/verification-event.js';
import { findPriorImport } from '../import/replay-guard.js';
import { JOB_PLANS, withJobEta } from '../jobs/job-eta.js';
import { loadTrustedKeys } from '../keys/trust-store.js';
import { throughParts } from '../media/parts/split-route.js';
import { policyNotReached, replayFinding, replayNotChecked, withFinding } from '../policy/policy-findings.js';
import { readStationPolicy } from '../policy/station-policy.js';
import { checkBundle } from '../verify/check-bundle.js';
import { channelAuditDetails, channelReport, checkStamp, missingStampProblem } from '../channels/channel-receive.js';
import type { ChannelPolicy } from '../policy/channel-policy.js';
import { runAudited } from './audited-operation.js';
import { openBundle, routeBundle } from './bundle-source.js';
import type { StationContext } from './context.js';
import type { VerifyRequest } from './requests.js';
import { inspectionRecord } from '../inspect/inspection-record.js';
import { openInspection, readinessGate } from './inspection.js';
import { verifyChecks } from './verify-checks.js';

/** Check a bundle (a file, standard input, or a split bundle's parts) without writing anything but its audit event. */
export async function verifyBundle(context: StationContext, request: VerifyRequest): Promise<VerifyResult> {
  const done = await runAudited(context, {
    type: 'verify',
    failureDetails: { bundlePath: request.bundlePath },
    run: async () => {
      const streamed = await openBundle(request);
      const [trusted, policy] = await Promise.all([loadTrustedKeys(context.paths), readStationPolicy(context.paths)]);
      const { split, source } = await routeBundle(context, streamed, request, trusted, policy.clockSkewSeconds);
      const inspection = await openInspection(policy, request.now ?? new Date(), request.signal);
      const inspector = inspection?.inspector ?? null;
      try {
        const report = await throughParts(
          split,
          request.bundlePath,
          async () => {
            const { payload, ...rest } = await checkBundle({
              bundlePath: request.bundlePath,
              source,
              ...verifyChecks(trusted, policy, request.now),
              signal: request.signal,
              onProgress: withJobEta(JOB_PLANS.verify, request.onProgress),
              // Content inspection (issue #16): the scanner must be fit before any payload byte; then it sees every file in the pass.
              inspectors: inspector ? [inspector] : undefined,
              afterAuthentication: inspector ? readinessGate(inspector) : undefined,
              digestSpill: { dir: context.paths.spool },
            });
            // Verify records no per-file rows: what they would be read from (a digest spill) goes now.
            payload.release?.();
            return { ...rest, inspection: inspector?.summary() };
          },
          (rejected) => ({
            ...rejected,
            policy: policyNotReached(policy.limits, policy.clockSkewSeconds, policy.requiredSigners),
            inspection: inspector?.summary(),
          }),
        );
        return withChannelFindings(context, policy.channels, { ...report, policy: withFinding(report.policy, replayFindingForVerify(context, report)) });
      } finally {
        await inspection?.close();
      }
    },
    // The images the bundle carried (as its verified descriptor names them): who checked what, to the digest.
    succeeded: (report) => ({
      ...verificationEventFields(report),
      details: {
        bundlePath: request.bundlePath,
        images: report.images ? imageEventRows(report.images) : undefined,
        inspection: inspectionRecord(report.inspection),
        channel: channelAuditDetails(report.channel),
      },
    }),
  });
  return done.value;
}

/**
 * The channel check as verify sees it (docs/channels.md): the stamp against this station's channel
 * state, findings with the policy's decision, nothing recorded (import records).
 */
function withChannelFindings(context: StationContext, policy: ChannelPolicy, report: VerifyResult): VerifyResult {
  const sha = report.bundle.tagmanifestSha256;
  if (!report.ok || sha === null) return report;
  if (!report.channel) return policy.require ? { ...report, ok: false, problems: [...report.problems, missingStampProblem()] } : report;
  const check = checkStamp(context.readDatabase(), policy, report.channel.signers, report.channel.stamp, sha);
  return { ...report, channel: channelReport(report.channel.stamp, report.channel.signers, check) };
}

/** The replay guard as verify sees it: looked up in the import ledger, never enforced (import enforces it). */
function replayFindingForVerify(context: StationContext, report: VerifyResult): PolicyFinding {
  const sha = report.bundle.tagmanifestSha256;
  if (sha === null || report.signers.length === 0) return replayNotChecked('Not checked: the bundle was not authenticated, so its identity is not proven.');
  const prior = findPriorImport(context.database(), {
    tagmanifestSha256: sha,
    uuid: report.bundle.uuid,
    name: report.bundle.name ?? '',
    signers: [],
    sequence: null,
    station: null,
  });
  if (!prior) return replayFinding('pass', 'Not imported on this station before.');
  const how = prior.sameTagmanifest ? 'This exact bundle' : 'A bundle with the same id';
  return replayFinding(
    'fail',
    `${how} was imported to ${prior.destination} at ${prior.committedAt ?? '?'} (import #${prior.id}). Import refuses it unless the operator imports it again on purpose (recorded).`,
  );
}

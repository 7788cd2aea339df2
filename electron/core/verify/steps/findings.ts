/** Step 6: the report, from the state record, whether verification ran to the end or stopped early. */
import { policyFindings } from '../../policy/policy-findings.js';
import { NO_PAYLOAD_ROWS } from '../payload-index.js';
import type { VerifyState } from '../verify-state.js';
import type { CheckBundleResult } from '../verify-options.js';

export function findings(state: VerifyState): CheckBundleResult {
  const { options, observed, manifest: listed, facts: f, signers, complete } = state;
  const problems = state.problems.finish();
  const ok = problems.length === 0 && signers.length > 0;
  // Listed files never reached: neither hashed nor refused by name before reading.
  const notChecked = complete || !listed ? 0 : Math.max(0, listed.size - state.seen.size - observed.refusedUnread);
  const nameRules = observed.nameRules;
  // Images only from a graph proven whole (and a bundle accepted): never what a rejected bundle claims.
  const images = ok ? (state.oci?.images ?? undefined) : undefined;
  return {
    ok,
    images,
    bundle: {
      name: state.top,
      path: options.bundlePath,
      uuid: f?.uuid ?? null,
      station: f?.station ?? null,
      operator: f?.operator ?? null,
      sequence: f?.sequence ?? null,
      created: f?.created ?? null,
      files: state.payloadFiles,
      bytes: state.payloadBytes,
      tagmanifestSha256: state.tagmanifestSha256,
    },
    signers,
    problems,
    // The stamp as signed; the findings against this station's channel state are added by verify and import (channels/).
    channel: state.channel && signers[0] ? { stamp: state.channel, signer: signers[0].fingerprint, findings: [] } : undefined,
    files: state.tally.result({ notChecked, complete }),
    policy: policyFindings({
      limits: state.limits,
      requiredSigners: options.requiredSigners,
      clockSkewSeconds: options.clockSkewSeconds ?? 0,
      now: state.now,
      signatureChecked: observed.signatureChecked,
      signers,
      futureDated: observed.futureDated,
      signatureProblem: observed.signatureProblem,
      signersShortfall: observed.signersShortfall,
      manifestFiles: listed?.size ?? null,
      entries: state.entryCount,
      payloadBytes: state.payloadBytes,
      largestFile: observed.largestFile,
      deepestPath: observed.deepestPath,
      longestPathBytes: observed.longestPathBytes,
      limitHits: observed.limitHits,
      names: nameRules
        ? { rules: nameRules, count: observed.nameBreaks.count, examples: observed.nameBreaks.examples, enforced: options.portability !== undefined }
        : null,
      structuralNameProblems: observed.structuralNameProblems,
      complete,
    }),
    payload: ok && state.payload ? state.payload : NO_PAYLOAD_ROWS,
    overridden: options.acceptFinding ? state.problems.overridden : undefined,
  };
}

import { access, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { problem, type Problem } from '../../../shared/problems.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { PolicyFinding, VerifyResult } from '../../../shared/results.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import type { StationDb } from '../db/station-db.js';
import { AirlockError, toAirlockError } from '../errors.js';
import type { StationPolicy } from '../policy/station-policy.js';
import { checkBundle, type AuthenticatedFacts, type BundleSource } from '../verify/check-bundle.js';
import { portabilityFindings } from '../bundle/path-rules.js';
import { replayFinding, replayNotChecked, withFinding } from '../policy/policy-findings.js';
import { findPriorImport, forgetPendingImport, highestSequenceFrom, markImported, reconcilePendingImports, recordPendingImport, type ImportIdentity } from './replay-guard.js';
import { cleanLeftoverStaging, StagingDirectory } from './staging.js';

export interface ImportOptions {
  bundlePath: string;
  /** The archive's bytes when they do not come from bundlePath alone (a split bundle's parts). */
  source?: BundleSource;
  destDir: string;
  trusted: readonly TrustedKey[];
  policy: StationPolicy;
  db: StationDb;
  operator: string;
  /** Import a bundle this station already imported; the override is recorded. */
  allowReplay?: boolean;
  now?: Date;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ImportResult extends VerifyResult {
  /** Where the payload now is (DIR/<bundle name>), or null when nothing was imported. */
  destination: string | null;
  /** Things the operator should know that did not stop the import. */
  warnings: string[];
  /** Every imported file with its verified checksum (empty unless ok), for the audit log. */
  payloadFiles: Array<{ path: string; size: number; sha256: string }>;
  /** Whether an earlier import of this bundle was overridden (--allow-replay). */
  replayOf: number | null;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Import: the verify pipeline with every payload byte landing in a private staging directory
 * as it is hashed; replay guard and name policy before any payload is read; on any problem the
 * staging directory goes and DIR is as it was; on success everything is flushed to disk and
 * the payload is renamed to DIR/<bundle name> in one step. The bundle is read once.
 */
export async function importBundle(options: ImportOptions): Promise<ImportResult> {
  // Absolute from here on: staging checks compare resolved paths.
  const destDir = resolve(options.destDir);
  const destStats = await stat(destDir).catch((error: unknown) => {
    throw toAirlockError(error, destDir);
  });
  if (!destStats.isDirectory()) throw new AirlockError('NOT_A_FOLDER', `The destination ${destDir} is a file, not a folder.`, { path: destDir });

  const warnings: string[] = [];
  const leftovers = await cleanLeftoverStaging(destDir);
  for (const dir of leftovers.removed) warnings.push(`Removed ${dir}, left by an interrupted import.`);
  for (const dir of leftovers.leftAlone) warnings.push(`${dir} belongs to an import that may still be running; left alone.`);
  const reconciled = reconcilePendingImports(options.db);
  if (reconciled.committed > 0) warnings.push(`${reconciled.committed} import(s) interrupted after their commit point were recorded as imported.`);

  let identity: ImportIdentity | null = null;
  let replayOf: number | null = null;
  let target: string | null = null;
  let replay: PolicyFinding = replayNotChecked();

  const gate = async (facts: AuthenticatedFacts): Promise<Problem[]> => {
    // The top directory becomes DIR/<name>: it must be a name this station would write.
    const nameFindings = portabilityFindings(facts.name, options.policy.names);
    if (facts.name.startsWith('.')) nameFindings.push('it starts with a dot (hidden, and reserved for staging)');
    if (nameFindings.length > 0) return [problem('UNSAFE_PATH', `The bundle's top directory "${facts.name}" cannot become a folder here: ${nameFindings.join('; ')}.`, facts.name)];
    identity = {
      tagmanifestSha256: facts.tagmanifestSha256,
      uuid: facts.uuid,
      name: facts.name,
      signers: facts.signers.map((s) => s.fingerprint),
      sequence: facts.sequence,
      station: facts.station,
    };
    const prior = findPriorImport(options.db, identity);
    replay = replayFinding('pass', 'Not imported on this station before.');
    if (prior) {
      const how = prior.sameTagmanifest ? 'This exact bundle' : 'A bundle with the same UUID';
      const when = `${how} was imported to ${prior.destination} at ${prior.committedAt ?? '?'} (import #${prior.id}).`;
      if (!options.allowReplay) {
        replay = replayFinding('fail', when);
        return [problem('REPLAY', `${when} Pass --allow-replay to import it again; the override is recorded.`)];
      }
      replayOf = prior.id;
      replay = replayFinding('pass', `${when} Imported again as the operator asked (the override is recorded).`);
      warnings.push(`${how} was imported before (import #${prior.id}); importing again as the operator asked (recorded).`);
    }
    // After the replay guard, so a second import of one bundle says REPLAY rather than "exists".
    target = join(destDir, facts.name);
    if (await exists(target)) throw new AirlockError('OUTPUT_EXISTS', `${target} exists; Airlock never overwrites or merges an import.`, { path: target });
    const highest = highestSequenceFrom(options.db, identity.signers);
    if (facts.sequence !== null && highest !== null && facts.sequence < highest) {
      warnings.push(`Sequence number ${facts.sequence} is lower than ${highest}, already imported from this signer: an old bundle, or bundles arriving out of order.`);
    }
    return [];
  };

  const staging = await StagingDirectory.create(destDir, options.bundlePath);
  try {
    const result = await checkBundle({
      bundlePath: options.bundlePath,
      ...(options.source ? { source: options.source } : {}),
      trusted: options.trusted,
      limits: options.policy.limits,
      portability: options.policy.names,
      requiredSigners: options.policy.requiredSigners,
      clockSkewSeconds: options.policy.clockSkewSeconds,
      failFast: true,
      payloadSink: staging,
      afterAuthentication: gate,
      ...(options.now ? { now: options.now } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const { payload, ...checked } = result;
    const report = { ...checked, policy: withFinding(checked.policy, replay) };
    if (!result.ok || identity === null || target === null) return { ...report, ok: false, destination: null, warnings, payloadFiles: [], replayOf: null };

    await staging.makeDurable();
    if (options.signal?.aborted) throw new AirlockError('CANCELLED');
    const finalTarget: string = target;
    if (await exists(finalTarget)) throw new AirlockError('OUTPUT_EXISTS', `${finalTarget} appeared during the import; nothing was changed.`, { path: finalTarget });
    const id = recordPendingImport(options.db, identity, finalTarget, options.operator, replayOf);
    try {
      await staging.commitTo(finalTarget);
    } catch (error) {
      forgetPendingImport(options.db, id);
      throw error;
    }
    markImported(options.db, id);
    return { ...report, destination: finalTarget, warnings, payloadFiles: payload, replayOf };
  } catch (error) {
    throw toAirlockError(error, options.bundlePath);
  } finally {
    // After a commit only owner.json is left in it; after a failure, everything staged goes.
    await staging.discard().catch(() => undefined);
  }
}

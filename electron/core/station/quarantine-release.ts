/**
 * Releasing a quarantined bundle (issue #16.5): an operator's explicit decision with a reason
 * (and a second operator's, under their own key, where the policy requires two persons); then
 * the kept bundle is verified again in full (signature, every checksum, inspection) and imported
 * atomically to the destination like any import, the findings recorded at quarantine accepted
 * and nothing else: a new finding refuses. Audited as `quarantine-release` (reason, approvers,
 * destination, what was overridden), beside the import's own event.
 *
 * State: approvals.json holds decisions awaiting the second person; releasing.json marks a release
 * whose import is under way. A process killed during it leaves releasing.json: the next command
 * that reads the entry settles it from the import ledger (committed: released, and recorded; not
 * committed: still held). entry.json changes atomically (quarantine-store.ts).
 */
import { resolve } from 'node:path';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import { resolveSigner } from '../crypto/signer-spec.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import { AirlockError } from '../errors.js';
import { loadStationKeys } from '../keys/station-key.js';
import { loadTrustedKeys } from '../keys/trust-store.js';
import { readStationPolicy } from '../policy/station-policy.js';
import { recordedFindingMatcher } from '../quarantine/finding-match.js';
import { contentFindings } from '../quarantine/quarantine-codes.js';
import { QuarantineStore } from '../quarantine/quarantine-store.js';
import { currentStamp, ownerState, parseStamp, type ProcessStamp } from '../fs/process-owner.js';
import { checkApprovals, checkReason, makeApproval, parseStoredApprovals, STATEMENT_KIND, type StoredApproval } from '../quarantine/release-approval.js';
import { runAudited } from './audited-operation.js';
import type { StationContext } from './context.js';
import { importInto } from './import.js';
import type { ImportOutcome, QuarantineReleaseOutcome, QuarantineReleaseRequest } from './requests.js';

export const APPROVALS_FILE = 'approvals.json';
export const RELEASING_FILE = 'releasing.json';

type Decision = QuarantineEntry['releases'][number];

interface Releasing {
  destDir: string;
  at: string;
  decisions: Decision[];
  /** The releasing process: only once it is provably gone is its release settled by another. */
  owner: ProcessStamp;
}

export async function releaseQuarantined(context: StationContext, request: QuarantineReleaseRequest): Promise<QuarantineReleaseOutcome> {
  const store = new QuarantineStore(context.paths.quarantine);
  const destDir = resolve(request.destDir);
  const decided = await runAudited(context, {
    type: 'quarantine-release',
    failureDetails: { id: request.id, destDir, reason: request.reason },
    run: () => decide(context, store, request, destDir),
    // A decision that completes the approvals is recorded with the import's outcome, below.
    succeeded: (d) =>
      d.complete ? null : { outcome: 'ok', bundleName: d.entry.bundleName, tagmanifestSha256: d.entry.tagmanifestSha256, details: decisionDetails(d) },
  });
  const d = decided.value;
  if (!d.complete)
    return { entry: d.entry, approvals: { given: d.decisions.length, required: d.required }, import: null, auditEvent: (decided.event as { seq: number }).seq };

  const releasing: Releasing = { destDir, at: new Date().toISOString(), decisions: d.decisions, owner: currentStamp() };
  const done = await runAudited(context, {
    type: 'quarantine-release',
    failureDetails: { ...decisionDetails(d), stage: 'import' },
    run: async () => {
      try {
        await store.createJson(d.entry.id, RELEASING_FILE, releasing);
      } catch (error) {
        // Another process began a release of this entry since our checks: one release at a time.
        if (error instanceof AirlockError && error.code === 'OUTPUT_EXISTS')
          throw new AirlockError('QUARANTINE_NOT_HELD', `${d.entry.id} is being released right now by another process; wait for it to finish.`);
        throw error;
      }
      let imported: ImportOutcome;
      try {
        imported = await importInto(
          context,
          {
            bundlePath: await store.keptBundlePath(d.entry.id),
            destDir,
            passphrase: request.passphrase,
            signer: request.signer,
            signal: request.signal,
            onProgress: request.onProgress,
          },
          { id: d.entry.id, acceptFinding: recordedFindingMatcher(d.recorded), tagmanifestSha256: d.entry.tagmanifestSha256 },
        );
      } catch (error) {
        await store.removeFile(d.entry.id, RELEASING_FILE).catch(() => undefined);
        throw error;
      }
      const entry = imported.ok && imported.destination !== null ? await markReleased(store, d.entry, d.decisions, imported.destination) : d.entry;
      await store.removeFile(d.entry.id, RELEASING_FILE);
      return { imported, entry };
    },
    succeeded: ({ imported }) => ({
      outcome: imported.ok ? 'ok' : 'rejected',
      bundleUuid: imported.bundle.uuid,
      bundleName: imported.bundle.name,
      tagmanifestSha256: imported.bundle.tagmanifestSha256,
      signers: imported.signers.map((s) => s.fingerprint),
      problemCodes: imported.problems.map((p) => p.code),
      files: imported.bundle.files,
      bytes: imported.bundle.bytes,
      details: {
        ...decisionDetails(d),
        destination: imported.destination,
        importEvent: imported.auditEvent,
        overridden: (imported.overridden ?? []).map((p) => ({ code: p.code, path: p.path ?? null, members: p.members ?? [] })),
      },
    }),
  });
  return { entry: done.value.entry, approvals: { given: d.decisions.length, required: d.required }, import: done.value.imported, auditEvent: done.event.seq };
}

interface Decided {
  entry: QuarantineEntry;
  decisions: Decision[];
  required: 1 | 2;
  complete: boolean;
  destDir: string;
  reason: string;
  /** The content findings recorded when it was kept: what the release may override. */
  recorded: ReturnType<typeof contentFindings>;
}

/** Check the entry, the reason and every decision; record this one when a second person is still to decide. */
async function decide(context: StationContext, store: QuarantineStore, request: QuarantineReleaseRequest, destDir: string): Promise<Decided> {
  const entry = await settleInterruptedRelease(context, store, await store.read(request.id));
  if (entry.status !== 'held')
    throw new AirlockError('QUARANTINE_NOT_HELD', `${entry.id} was ${entry.status}${entry.releasedTo ? ` to ${entry.releasedTo}` : ''}.`);
  if ((await readReleasing(store, entry.id)) !== null)
    throw new AirlockError('QUARANTINE_NOT_HELD', `${entry.id} is being released right now by another process; wait for it to finish.`);
  const reason = checkReason(request.reason);
  const policy = await readStationPolicy(context.paths);
  const required = policy.inspect?.quarantine.releaseApprovals ?? 1;
  if (required === 2 && request.signer === undefined)
    throw new AirlockError(
      'RELEASE_APPROVAL_INVALID',
      'Two persons are required: sign your decision with your own key (your passphrase, a GnuPG key or a key file).',
      {
        data: { reason: 'unsigned' },
      },
    );
  const signer = request.signer ? await resolveSigner(context.paths, request.signer) : null;
  const keys = await approvalKeys(context);
  const stored = parseStoredApprovals(await store.readJson(entry.id, APPROVALS_FILE));
  const statement = {
    kind: STATEMENT_KIND,
    id: entry.id,
    tagmanifestSha256: entry.tagmanifestSha256,
    destDir,
    reason,
    operator: context.identity.operator,
    at: new Date().toISOString(),
  } as const;
  const mine = await makeApproval(statement, signer);
  const all: StoredApproval[] = [...stored, mine];
  const checked = await checkApprovals(all, { id: entry.id, tagmanifestSha256: entry.tagmanifestSha256, destDir, required }, keys);
  const decisions = checked.map((c) => ({ operator: c.statement.operator, reason: c.statement.reason, at: c.statement.at, fingerprint: c.fingerprint }));
  const recorded = contentFindings((await store.readReport(entry.id)).problems);
  if (checked.length >= required) return { entry, decisions, required, complete: true, destDir, reason, recorded };
  await store.writeJson(entry.id, APPROVALS_FILE, all);
  const pending: QuarantineEntry = { ...entry, releases: decisions };
  await store.write(pending);
  return { entry: pending, decisions, required, complete: false, destDir, reason, recorded };
}

function decisionDetails(d: Decided): Record<string, unknown> {
  return {
    id: d.entry.id,
    reason: d.reason,
    destDir: d.destDir,
    approvals: d.decisions.length,
    required: d.required,
    complete: d.complete,
    approvers: d.decisions.map((x) => ({ operator: x.operator, fingerprint: x.fingerprint ?? null, reason: x.reason, at: x.at })),
  };
}

/** Keys an approver may prove who they are with: this station's keys and the signers it trusts. */
async function approvalKeys(context: StationContext): Promise<TrustedKey[]> {
  const keys = [...(await loadStationKeys(context.paths)), ...(await loadTrustedKeys(context.paths))];
  return keys.filter((k, i) => keys.findIndex((o) => o.fingerprint === k.fingerprint) === i);
}

async function markReleased(store: QuarantineStore, entry: QuarantineEntry, decisions: Decision[], destination: string): Promise<QuarantineEntry> {
  const released: QuarantineEntry = { ...entry, status: 'released', releases: decisions, releasedTo: destination };
  await store.write(released);
  await store.removeFile(entry.id, APPROVALS_FILE);
  return released;
}

export async function readReleasing(store: QuarantineStore, id: string): Promise<Releasing | null> {
  const json = (await store.readJson(id, RELEASING_FILE)) as Partial<Releasing> | null;
  if (json === null || typeof json.destDir !== 'string' || typeof json.at !== 'string' || !Array.isArray(json.decisions) || typeof json.owner !== 'object')
    return null;
  return json as Releasing;
}

/**
 * A release a killed process left (releasing.json): its import committed (the ledger says
 * imported, into the approved folder, since the release began): the entry is released and the
 * release recorded now; else it is held as before. A release still running in another process
 * has a pending claim, not a committed one: its own end writes the final state.
 */
export async function settleInterruptedRelease(context: StationContext, store: QuarantineStore, entry: QuarantineEntry): Promise<QuarantineEntry> {
  if (entry.status !== 'held') return entry;
  const releasing = await readReleasing(store, entry.id);
  const owner = releasing === null ? null : parseStamp(releasing.owner);
  // A stamp that cannot be read proves nothing about its process: settled like a dead one's (the ledger decides).
  if (releasing === null || entry.tagmanifestSha256 === null || (owner !== null && ownerState(owner) !== 'dead')) return entry;
  const row = context
    .database()
    .prepare(`SELECT id, destination FROM imports WHERE status = 'imported' AND tagmanifest_sha256 = ? AND started_at >= ? ORDER BY id DESC LIMIT 1`)
    .get(entry.tagmanifestSha256, releasing.at) as { id: number; destination: string } | undefined;
  if (row === undefined || resolve(row.destination, '..') !== releasing.destDir) {
    // Its owner is dead and nothing committed: the release did not happen; the entry is held as before.
    await store.removeFile(entry.id, RELEASING_FILE).catch(() => undefined);
    return entry;
  }
  const released = await markReleased(store, entry, releasing.decisions, row.destination);
  await runAudited(context, {
    type: 'quarantine-release',
    failureDetails: 'not recorded',
    run: () => store.removeFile(entry.id, RELEASING_FILE),
    succeeded: () => ({
      outcome: 'ok',
      bundleName: entry.bundleName,
      tagmanifestSha256: entry.tagmanifestSha256,
      details: { id: entry.id, destination: row.destination, recovered: true, importId: row.id, approvers: releasing.decisions },
    }),
  });
  return released;
}

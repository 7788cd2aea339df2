/**
 * `airlock feed import` (issue #16.6): a signature-database feed crosses the gap as a bundle signed
 * by a key this station trusts with the `feeds` role. Verified like any bundle (only feeds keys
 * count as signers), its files staged inside the database directory, checked (header, sigtool
 * --info, no downgrade), renamed into place, clamd told RELOAD; the `feed-import` audit event
 * records the database version before and after.
 */
import type { ScannerStatus } from '../../../shared/inspection.js';
import { verificationEventFields } from '../audit/verification-event.js';
import { AirlockError } from '../errors.js';
import { cleanLeftoverStaging, StagingDirectory } from '../import/staging.js';
import { newestDatabase, readDatabaseHeaders } from '../inspect/clamd/database-headers.js';
import { ageInDays } from '../inspect/clamd/version.js';
import type { Scanner } from '../inspect/contract.js';
import { checkFeedFiles, feedFileNames } from '../inspect/feeds/feed-files.js';
import type { DatabaseState, FeedImportOutcome, FeedImportRequest } from '../inspect/feeds/feed-types.js';
import { downgrades, installFeedFiles } from '../inspect/feeds/install-feed.js';
import { createScanner } from '../inspect/scanner-for.js';
import { loadTrustedKeys } from '../keys/trust-store.js';
import { readStationPolicy } from '../policy/station-policy.js';
import { checkBundle } from '../verify/check-bundle.js';
import { recordFeedIntent, settleFeedIntent, type FeedIntentFile } from '../recovery/feed-intent.js';
import { runAudited, type DuringOperation } from './audited-operation.js';
import type { StationContext } from './context.js';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedFile } from '../inspect/feeds/feed-files.js';

/** The role a trusted key needs to sign feeds (`airlock keys trust --role feeds`). */
export const FEEDS_ROLE = 'feeds';
/** How long clamd may take to load the new database after RELOAD before the "after" version is read anyway. */
const RELOAD_WAIT_MS = 60_000;

function stateOf(status: ScannerStatus): DatabaseState {
  return { version: status.databaseVersion, date: status.databaseDate, ageDays: status.databaseAgeDays, source: status.databaseSource };
}

/** The database as the headers in the directory state it (a command scanner, or a clamd that is down). */
async function stateFromHeaders(dir: string, now: Date): Promise<DatabaseState | null> {
  const newest = newestDatabase(await readDatabaseHeaders(dir).catch(() => []));
  if (newest === null) return null;
  return { version: newest.version, date: newest.builtAt.toISOString(), ageDays: ageInDays(newest.builtAt, now), source: 'database-header' };
}

/** After RELOAD, clamd loads in the background: wait until VERSION names the version now on disk. */
async function stateAfterReload(scanner: Scanner, expected: number | null, signal?: AbortSignal): Promise<ScannerStatus> {
  const deadline = Date.now() + RELOAD_WAIT_MS;
  for (;;) {
    const status = await scanner.status(new Date(), signal);
    if (!status.reachable || status.databaseSource !== 'version-command' || status.databaseVersion === expected || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function importFeed(context: StationContext, request: FeedImportRequest): Promise<FeedImportOutcome> {
  const done = await runAudited(context, {
    type: 'feed-import',
    failureDetails: { bundlePath: request.bundlePath },
    run: (during) => runFeedImport(context, request, during),
    succeeded: ({ intent, ...outcome }) => ({
      // The intent is settled with the event, in one transaction: a kill before leaves it pending for recovery.
      alongside: intent === null ? undefined : () => settleFeedIntent(context.database(), intent, 'installed'),
      ...verificationEventFields(outcome),
      details: {
        bundlePath: request.bundlePath,
        databaseDir: outcome.databaseDir,
        installed: outcome.installed,
        superseded: outcome.superseded,
        databaseVersionBefore: outcome.before?.version ?? null,
        databaseDateBefore: outcome.before?.date ?? null,
        databaseVersionAfter: outcome.after?.version ?? null,
        databaseDateAfter: outcome.after?.date ?? null,
        reloaded: outcome.reloaded,
        allowDowngrade: request.allowDowngrade === true,
        warnings: outcome.warnings,
      },
    }),
  });
  const { intent: _intent, ...outcome } = done.value;
  return { ...outcome, auditEvent: done.event.seq };
}

/** The outcome, and the feed intent recorded before the first file moved (null when none moved). */
type FeedRun = FeedImportOutcome & { intent: number | null };

async function runFeedImport(context: StationContext, request: FeedImportRequest, during: DuringOperation): Promise<FeedRun> {
  const now = request.now ?? new Date();
  const [allTrusted, policy] = await Promise.all([loadTrustedKeys(context.paths), readStationPolicy(context.paths)]);
  const scan = policy.inspect?.scan ?? null;
  if (scan === null || scan.databaseDir === null) {
    throw new AirlockError('CONFIG_INVALID', 'policy.json names no scanner database folder (inspect.scan.databaseDir): a feed has nowhere to go.', {
      path: context.paths.root,
    });
  }
  const databaseDir = scan.databaseDir;
  const feedKeys = allTrusted.filter((key) => key.role === FEEDS_ROLE);
  const scanner = createScanner(scan);
  const warnings: string[] = [];
  // Verified all the same (SIGNER_UNTRUSTED): the operator sees who signed it and learns what is missing.
  if (feedKeys.length === 0) warnings.push(`No trusted key has the ${FEEDS_ROLE} role: trust the feed signer’s key with that role.`);
  try {
    const beforeStatus = await scanner.status(now, request.signal);
    const before = beforeStatus.databaseVersion !== null ? stateOf(beforeStatus) : await stateFromHeaders(databaseDir, now);

    for (const dir of (await cleanLeftoverStaging(databaseDir)).removed) warnings.push(`Removed ${dir}, left by an interrupted feed import.`);
    const staging = await StagingDirectory.create(databaseDir, request.bundlePath);
    try {
      // Only feeds keys count: a bundle signed by any other trusted key is SIGNER_UNTRUSTED here.
      const result = await checkBundle({
        bundlePath: request.bundlePath,
        trusted: feedKeys,
        limits: policy.limits,
        clockSkewSeconds: policy.clockSkewSeconds,
        failFast: true,
        payloadSink: staging,
        now: request.now,
        signal: request.signal,
        onProgress: request.onProgress,
      });
      const { payload, ...report } = result;
      const empty = { installed: [], superseded: [], databaseDir, before, after: before, reloaded: null, warnings, auditEvent: null, intent: null };
      if (!report.ok) return { ...report, ...empty };

      await staging.makeDurable();
      const names = feedFileNames([...payload].map((row) => row.path));
      const files = await checkFeedFiles(
        names.map((n) => ({ ...n, stagedPath: join(staging.payloadDir, n.name) })),
        request.signal,
      );
      const older = downgrades(files, await readDatabaseHeaders(databaseDir));
      if (older.length > 0 && request.allowDowngrade !== true)
        throw new AirlockError('FEED_INVALID', `${older.join('; ')}: an outdated feed is not installed.`);
      if (older.length > 0) warnings.push(`Installed an older database on purpose: ${older.join('; ')}.`);
      if (request.signal?.aborted) throw new AirlockError('CANCELLED');
      const intent = recordFeedIntent(context.database(), {
        bundlePath: request.bundlePath,
        bundleName: report.bundle.name,
        bundleUuid: report.bundle.uuid,
        tagmanifestSha256: report.bundle.tagmanifestSha256,
        signers: report.signers.map((s) => s.fingerprint),
        databaseDir,
        files: files.map((f) => intentFile(f)),
        operator: context.identity.operator,
        details: { databaseVersionBefore: before?.version ?? null, databaseDateBefore: before?.date ?? null, allowDowngrade: request.allowDowngrade === true },
        settleInterrupted: () => context.settleInterrupted(),
      });
      during.onFailure(() => settleFeedIntent(context.database(), intent, 'failed'));
      const superseded = await installFeedFiles(databaseDir, files);

      let reloaded: boolean | null = null;
      let after = await stateFromHeaders(databaseDir, now);
      if (scanner.reload !== undefined) {
        try {
          await scanner.reload(request.signal);
          reloaded = true;
          const expected = after?.version ?? null;
          const status = await stateAfterReload(scanner, expected, request.signal);
          if (status.databaseVersion !== null) after = stateOf(status);
          if (status.databaseSource === 'version-command' && status.databaseVersion !== expected)
            warnings.push(`clamd still reports database version ${status.databaseVersion ?? 'unknown'}, not ${expected ?? 'unknown'}: check its log.`);
        } catch (error) {
          reloaded = false;
          warnings.push(
            `The database is installed, but clamd was not told to reload (${error instanceof Error ? error.message : String(error)}): it loads it when it next starts.`,
          );
        }
      }
      const installed = files.map((f) => ({
        name: f.name,
        version: f.header.version,
        signatures: f.header.signatures,
        builtAt: f.header.builtAt.toISOString(),
      }));
      return { ...report, installed, superseded, databaseDir, before, after, reloaded, warnings, auditEvent: null, intent };
    } finally {
      await staging.discard().catch(() => undefined);
    }
  } finally {
    await scanner.close();
  }
}

/** What the intent records of a checked, staged file: its header facts and the staged copy's device and inode (the rename keeps them). */
function intentFile(file: FeedFile): FeedIntentFile {
  const stats = lstatSync(file.stagedPath, { bigint: true });
  return {
    name: file.name,
    base: file.base,
    version: file.header.version,
    signatures: file.header.signatures,
    builtAt: file.header.builtAt.toISOString(),
    dev: String(stats.dev),
    ino: String(stats.ino),
  };
}

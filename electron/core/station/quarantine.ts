/**
 * `airlock quarantine list|show|release|purge` (issue #16.5; docs/operator-guide.md, Quarantine):
 * the station's record of bundles refused for their content (core/quarantine/). Listing and
 * showing change nothing but what dead processes left (a keep's temp folder, a purge or a
 * release they began: settled here); release is station/quarantine-release.ts; purge is audited.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import { listAuditEvents } from '../audit/audit-store.js';
import { readStationPolicy } from '../policy/station-policy.js';
import { AirlockError } from '../errors.js';
import { assertQuarantineId } from '../quarantine/quarantine-id.js';
import { BUNDLE_DIR, QuarantineStore } from '../quarantine/quarantine-store.js';
import { parseStoredApprovals } from '../quarantine/release-approval.js';
import { recordedFindingCounts } from '../quarantine/finding-match.js';
import { runAudited } from './audited-operation.js';
import type { StationContext } from './context.js';
import { APPROVALS_FILE, readReleasing, settleInterruptedRelease } from './quarantine-release.js';
import type { QuarantineDetail, QuarantinePurgeOutcome, QuarantinePurgeRequest } from './requests.js';

export { releaseQuarantined } from './quarantine-release.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function quarantineStore(context: StationContext): QuarantineStore {
  return new QuarantineStore(context.paths.quarantine);
}

/** Every kept bundle, oldest first (held and released; purged ones are gone). */
export async function listQuarantine(context: StationContext): Promise<QuarantineEntry[]> {
  const store = quarantineStore(context);
  await settleLeftovers(context, store);
  const entries: QuarantineEntry[] = [];
  for (const entry of await store.list()) entries.push(await settleInterruptedRelease(context, store, entry));
  return entries;
}

export async function showQuarantined(context: StationContext, id: string): Promise<QuarantineDetail> {
  const store = quarantineStore(context);
  assertQuarantineId(id);
  await settleLeftovers(context, store);
  const entry = await settleInterruptedRelease(context, store, await store.read(id));
  const dir = store.dirOf(id);
  const names = (await readdir(join(dir, BUNDLE_DIR)).catch(() => [] as string[])).sort();
  const files = await Promise.all(names.map(async (name) => ({ name, bytes: (await stat(join(dir, BUNDLE_DIR, name))).size })));
  const policy = await readStationPolicy(context.paths);
  const given = parseStoredApprovals(await store.readJson(id, APPROVALS_FILE)).length;
  const report = await store.readReport(id);
  return {
    // Entries kept before the counts were recorded: counted from their report, which holds the same facts.
    entry: { ...entry, findingCounts: entry.findingCounts ?? recordedFindingCounts(report.problems) },
    path: dir,
    report,
    files,
    approvals: { given: entry.status === 'released' ? entry.releases.length : given, required: policy.inspect?.quarantine.releaseApprovals ?? 1 },
    releasingTo: (await readReleasing(store, id))?.destDir ?? null,
  };
}

/**
 * Delete kept bundles, on record: by id, every released one, or every one older than N days.
 * Each goes in one rename first (it leaves the list at once), then the event is recorded, then
 * its files are removed. A kill between the rename and the event leaves a folder the next
 * command restores (nothing deleted without a record); after the event, one it removes.
 */
export async function purgeQuarantine(context: StationContext, request: QuarantinePurgeRequest): Promise<QuarantinePurgeOutcome> {
  const store = quarantineStore(context);
  const chosen = await choosePurge(context, store, request);
  if (chosen.length === 0) return { purged: [], auditEvent: null };
  const moved: Array<{ entry: QuarantineEntry; temp: string }> = [];
  const done = await runAudited(context, {
    type: 'quarantine-purge',
    failureDetails: { ids: chosen.map((e) => e.id) },
    run: async () => {
      try {
        for (const entry of chosen) moved.push({ entry, temp: await store.beginPurge(entry.id) });
      } catch (error) {
        // Not all could be moved aside: put back what was, so nothing goes unrecorded.
        for (const { entry, temp } of moved.splice(0)) await store.restorePurge(temp, entry.id).catch(() => undefined);
        throw error;
      }
      return moved.map(({ entry }) => ({ id: entry.id, bundleName: entry.bundleName, status: entry.status }));
    },
    succeeded: (purged) => ({
      outcome: 'ok',
      bytes: chosen.reduce((sum, e) => sum + e.bytes, 0),
      details: { ids: purged.map((p) => p.id), entries: purged, ...purgeCriteria(request) },
    }),
  });
  for (const { temp } of moved) await store.finishPurge(temp).catch(() => undefined);
  return { purged: done.value, auditEvent: done.event.seq };
}

async function choosePurge(context: StationContext, store: QuarantineStore, request: QuarantinePurgeRequest): Promise<QuarantineEntry[]> {
  const ways = [request.ids !== undefined && request.ids.length > 0, request.allReleased === true, request.olderThanDays !== undefined].filter(Boolean).length;
  if (ways !== 1)
    throw new AirlockError('USAGE', 'Name the bundles to purge: ids, or all released ones, or those older than a number of days (one of the three).');
  if (request.ids !== undefined && request.ids.length > 0) {
    const ids = [...new Set(request.ids.map(assertQuarantineId))];
    await settleLeftovers(context, store);
    return Promise.all(ids.map(async (id) => settleInterruptedRelease(context, store, await store.read(id))));
  }
  const all = await listQuarantine(context);
  if (request.allReleased) return all.filter((e) => e.status === 'released');
  const days = request.olderThanDays ?? 0;
  if (!Number.isInteger(days) || days < 0) throw new AirlockError('USAGE', 'The age in days is a whole number, 0 or more.');
  const cutoff = (request.now ?? new Date()).getTime() - days * DAY_MS;
  return all.filter((e) => Date.parse(e.quarantinedAt) <= cutoff);
}

function purgeCriteria(request: QuarantinePurgeRequest): Record<string, unknown> {
  if (request.allReleased) return { criteria: 'all-released' };
  if (request.olderThanDays !== undefined) return { criteria: 'older-than', days: request.olderThanDays };
  return { criteria: 'ids' };
}

/** What dead processes left: keep temp folders go; a purge folder is finished if its purge was recorded, else restored. */
async function settleLeftovers(context: StationContext, store: QuarantineStore): Promise<void> {
  const swept = await store.sweep();
  for (const { id, path } of swept.interruptedPurges) {
    if (purgeRecorded(context, id)) await store.finishPurge(path).catch(() => undefined);
    else await store.restorePurge(path, id).catch(() => undefined);
  }
}

function purgeRecorded(context: StationContext, id: string): boolean {
  const events = listAuditEvents(context.database(), { type: 'quarantine-purge', outcome: 'ok', text: id, limit: 1000 });
  return events.some((e) => Array.isArray(e.details.ids) && (e.details.ids as unknown[]).includes(id));
}

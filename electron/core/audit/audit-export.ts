import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { jsonText } from '../../../shared/display-text.js';
import { createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { StationDb } from '../db/station-db.js';
import { listCheckpoints } from './audit-checkpoint.js';
import { auditFileRows, iterateAuditEvents } from './audit-store.js';
import type { AuditEvent } from './audit-event.js';
import { fsyncDirectory, tempPathFor } from '../fs/durable.js';
import { releaseTemp } from '../fs/owned-temp.js';
import { throwIfAborted } from '../errors.js';

export type AuditExportFormat = 'csv' | 'json';

const CSV_COLUMNS = [
  'record',
  'seq',
  'at',
  'type',
  'outcome',
  'operator',
  'station',
  'bundle_uuid',
  'bundle_name',
  'tagmanifest_sha256',
  'signers',
  'problem_codes',
  'error_code',
  'files',
  'bytes',
  'details',
  'files_digest',
  'prev_hash',
  'hash',
  'path',
  'size',
  'sha256',
  'fingerprint',
  'signature',
] as const;

/**
 * One CSV field. Quoted always; and a value a spreadsheet would run as a formula (a hostile
 * bundle name such as `=HYPERLINK(...)`) gets a leading apostrophe so it stays text.
 */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/u.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

function csvRow(values: Partial<Record<(typeof CSV_COLUMNS)[number], unknown>>): string {
  return `${CSV_COLUMNS.map((c) => csvField(values[c])).join(',')}\r\n`;
}

function eventColumns(e: AuditEvent): Partial<Record<(typeof CSV_COLUMNS)[number], unknown>> {
  return {
    record: 'event',
    seq: e.seq,
    at: e.at,
    type: e.type,
    outcome: e.outcome,
    operator: e.operator,
    station: e.station,
    bundle_uuid: e.bundleUuid,
    bundle_name: e.bundleName,
    tagmanifest_sha256: e.tagmanifestSha256,
    signers: e.signers.join(' '),
    problem_codes: e.problemCodes.join(' '),
    error_code: e.errorCode,
    files: e.files,
    bytes: e.bytes,
    details: e.details,
    files_digest: e.filesDigest,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** Write respecting backpressure, so a million events stream in constant memory. */
async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Events between two looks at the signal. */
const CANCEL_CHECK_EVERY = 256;

/**
 * Stream the whole log: every event with its per-file rows, then every signed checkpoint.
 * Enough to re-verify the chain elsewhere (hashes, prev hashes and signatures are included).
 * With a signal (the CLI's Ctrl-C), the loop gives the event loop a turn every few hundred events
 * and stops with CANCELLED: a write to a file or a fast pipe never waits for 'drain', so without
 * that turn the signal would not even be seen before the last event.
 */
export async function exportAuditLog(
  db: StationDb,
  format: AuditExportFormat,
  out: Writable,
  signal?: AbortSignal,
): Promise<{ events: number; checkpoints: number }> {
  let events = 0;
  let sinceCheck = 0;
  const cancelPoint = async (): Promise<void> => {
    if (signal === undefined || (sinceCheck += 1) < CANCEL_CHECK_EVERY) return;
    sinceCheck = 0;
    await nextTurn();
    throwIfAborted(signal);
  };
  throwIfAborted(signal);
  const checkpoints = listCheckpoints(db);
  if (format === 'csv') {
    await put(out, `${CSV_COLUMNS.join(',')}\r\n`);
    for (const event of iterateAuditEvents(db)) {
      await cancelPoint();
      events += 1;
      await put(out, csvRow(eventColumns(event)));
      if (event.filesDigest !== null) {
        for (const file of auditFileRows(db, event.seq))
          await put(out, csvRow({ record: 'file', seq: event.seq, path: file.path, size: file.size, sha256: file.sha256 }));
      }
    }
    for (const c of checkpoints)
      await put(out, csvRow({ record: 'checkpoint', seq: c.seq, at: c.at, hash: c.hash, fingerprint: c.fingerprint, signature: c.signature }));
  } else {
    await put(out, '{"format":"airlock-audit-export","version":1,"events":[');
    for (const event of iterateAuditEvents(db)) {
      await cancelPoint();
      const fileRows = event.filesDigest === null ? [] : auditFileRows(db, event.seq);
      await put(out, `${events === 0 ? '\n' : ',\n'}${jsonText({ ...event, fileRows })}`);
      events += 1;
    }
    await put(out, `\n],"checkpoints":${jsonText(checkpoints)}}\n`);
  }
  return { events, checkpoints: checkpoints.length };
}

/**
 * Export to a file the operator chose: streamed to a temp name beside it, fsynced, renamed over
 * the chosen name (the save dialog already asked before replacing a file), and the folder
 * fsynced, so the file is either the old one or a complete export, never half of one.
 */
export async function exportAuditLogToFile(db: StationDb, format: AuditExportFormat, path: string): Promise<{ events: number; checkpoints: number }> {
  const temp = tempPathFor(path);
  const out = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  try {
    await once(out, 'open');
    const counts = await exportAuditLog(db, format, out);
    out.end();
    await once(out, 'close');
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    await fsyncDirectory(dirname(path));
    return counts;
  } catch (error) {
    out.destroy();
    await unlink(temp).catch(() => undefined);
    throw error;
  } finally {
    releaseTemp(temp);
  }
}

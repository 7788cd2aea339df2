/**
 * Keep a refused bundle: COPY it (the operator's media is never changed) with its report into a
 * new quarantine entry, whole or not at all (quarantine-store.ts). Bounded by free space: the
 * bytes are counted first and a quarantine without room for them is NO_SPACE before a byte is
 * written; a disk that fills anyway (another writer) ends in NO_SPACE with the temp folder gone.
 */
import { jsonText } from '../../../shared/display-text.js';
import { constants } from 'node:fs';
import { copyFile, mkdir, open, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import type { VerifyResult } from '../../../shared/results.js';
import { BUNDLE_SUFFIX } from '../bundle/format.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';
import { freeBytes } from '../fs/publish.js';
import { isMediaFileName } from '../media/parts/part-names.js';
import { recordedFindingCounts } from './finding-match.js';
import { distinctCodes } from './quarantine-codes.js';
import { newQuarantineId } from './quarantine-id.js';
import { BUNDLE_DIR, ENTRY_FILE, REPORT_FILE, type QuarantineStore } from './quarantine-store.js';

/** Room left beside the copy for entry.json, report.json and the file system's own bookkeeping. */
const SLACK_BYTES = 4 * 1024 * 1024;

export interface KeptFile {
  /** Where the file is now (the operator's media). */
  source: string;
  /** Its name in the entry's bundle/ folder. */
  name: string;
}

export interface KeepRequest {
  /** The bundle as the operator named it (shown in lists). */
  bundlePath: string;
  /** The files to copy: the bundle, or the parts with the volume index and its .asc. */
  files: readonly KeptFile[];
  /** The refusal: the report kept beside the bundle. */
  report: VerifyResult;
  now?: Date | undefined;
  signal?: AbortSignal | undefined;
}

export interface Kept {
  id: string;
  path: string;
  entry: QuarantineEntry;
}

/** The name a plain bundle file keeps: its own when it is a bundle name Airlock writes, else a neutral one. */
export function keptBundleName(bundlePath: string): string {
  const name = basename(bundlePath);
  return isMediaFileName(name) && name.endsWith(BUNDLE_SUFFIX) ? name : `bundle${BUNDLE_SUFFIX}`;
}

/** What keeping reads of the machine; a test replaces it to play a disk that fills after the check (another writer). */
export interface KeepDeps {
  freeBytes: (dir: string) => Promise<number>;
}

export async function keepBundle(store: QuarantineStore, request: KeepRequest, deps: KeepDeps = { freeBytes }): Promise<Kept> {
  const now = request.now ?? new Date();
  const id = newQuarantineId(now);
  const sizes = await Promise.all(
    request.files.map(async (f) => {
      try {
        return (await stat(f.source)).size;
      } catch (error) {
        throw toAirlockError(error, f.source);
      }
    }),
  );
  const bytes = sizes.reduce((a, b) => a + b, 0);
  await store.ensureRoot();
  const free = await deps.freeBytes(store.root);
  if (free < bytes + SLACK_BYTES)
    throw new AirlockError('NO_SPACE', `Keeping the bundle in quarantine takes ${bytes} bytes; ${store.root} has ${free} free. Nothing was kept.`, {
      path: store.root,
    });
  const temp = await store.createTemp(id);
  try {
    const bundleDir = join(temp, BUNDLE_DIR);
    await mkdir(bundleDir, { mode: 0o700 });
    for (const [i, file] of request.files.entries()) {
      throwIfAborted(request.signal);
      await copyDurably(file.source, join(bundleDir, file.name), sizes[i] ?? 0);
    }
    await fsyncDirectory(bundleDir);
    const entry: QuarantineEntry = {
      id,
      quarantinedAt: now.toISOString(),
      bundleName: basename(request.bundlePath),
      tagmanifestSha256: request.report.bundle.tagmanifestSha256,
      bytes,
      codes: distinctCodes(request.report.problems),
      findingCounts: recordedFindingCounts(request.report.problems),
      signers: request.report.signers.map((s) => s.fingerprint),
      status: 'held',
      releases: [],
      releasedTo: null,
    };
    await writeSynced(join(temp, REPORT_FILE), `${jsonText(request.report, 2)}\n`);
    // entry.json last: a folder without it is never an entry.
    await writeSynced(join(temp, ENTRY_FILE), `${jsonText(entry, 2)}\n`);
    await fsyncDirectory(temp);
    const path = await store.publish(temp, id);
    return { id, path, entry };
  } catch (error) {
    await store.discardTemp(temp).catch(() => undefined);
    throw toAirlockError(error, store.root);
  }
}

/** Copy (reflink or in-kernel where the file system can), check the size, fsync. A file that changed size meanwhile is refused. */
async function copyDurably(source: string, target: string, size: number): Promise<void> {
  await copyFile(source, target, constants.COPYFILE_EXCL);
  const handle = await open(target, 'r+');
  try {
    const copied = (await handle.stat()).size;
    if (copied !== size) throw new AirlockError('IO_ERROR', `${source} changed while it was kept (${size} bytes before, ${copied} copied).`, { path: source });
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

import { basename, dirname, join } from 'node:path';
import { AirlockError, toAirlockError } from '../errors.js';
import type { ImportResult } from '../import/import-bundle.js';
import type { SplitRoute } from '../media/parts/split-route.js';
import { INDEX_SIGNATURE_SUFFIX, INDEX_SUFFIX } from '../media/parts/part-names.js';
import type { InspectPolicy } from '../policy/inspect-policy.js';
import { keepBundle, keptBundleName, type KeptFile } from '../quarantine/keep-bundle.js';
import { contentFindings } from '../quarantine/quarantine-codes.js';
import { QuarantineStore } from '../quarantine/quarantine-store.js';
import type { StationContext } from './context.js';
import type { ImportRequest } from './requests.js';

/** What became of a refused import's bundle: kept (id and folder), or why it could not be. Recorded in the import's audit event. */
export type QuarantineKeepOutcome = { kept: true; id: string; path: string } | { kept: false; errorCode: string | null; message: string };

/**
 * The import's refused path (issue #16.5): a bundle refused for what it holds (quarantine-codes.ts)
 * is copied into the station's quarantine when the policy keeps refused bundles (the default).
 * Never throws: a bundle that cannot be kept (a full disk, standard input) stays refused, the
 * operator is told in a warning, and the audit event records why. Returns null when the refusal
 * is not a quarantine case.
 */
export async function keepRefusedBundle(
  context: StationContext,
  request: ImportRequest,
  split: SplitRoute | null,
  rejected: ImportResult,
  inspect: InspectPolicy | null,
): Promise<QuarantineKeepOutcome | null> {
  if (inspect === null || !inspect.quarantine.keep || contentFindings(rejected.problems).length === 0) return null;
  if (request.stream) {
    const message = 'The bundle was read from standard input, so there is no copy to keep; keep the media it came on for your security officer.';
    rejected.warnings.push(`The refused bundle was NOT kept in quarantine: ${message}`);
    return { kept: false, errorCode: null, message };
  }
  try {
    const store = new QuarantineStore(context.paths.quarantine);
    // What killed keeps left goes first (an interrupted purge is settled by the next quarantine command, which reads the log).
    await store.sweep();
    const kept = await keepBundle(store, {
      bundlePath: request.bundlePath,
      files: split ? splitFiles(split) : [{ source: request.bundlePath, name: keptBundleName(request.bundlePath) }],
      report: withoutRows(rejected),
      signal: request.signal,
    });
    return { kept: true, id: kept.id, path: kept.path };
  } catch (error) {
    const failure = toAirlockError(error);
    rejected.warnings.push(`The refused bundle was NOT kept in quarantine: ${failure.message}`);
    return { kept: false, errorCode: failure.code, message: failure.message };
  }
}

/** A split bundle's parts, its volume index and the index's signature, under the names they had. */
function splitFiles(split: SplitRoute): KeptFile[] {
  const files: KeptFile[] = [];
  for (const part of split.check.parts) {
    if (part.path === null) throw new AirlockError('NOT_FOUND', `The part ${part.file} was not found, so the bundle cannot be kept whole.`);
    files.push({ source: part.path, name: basename(part.file) });
  }
  const index = split.check.indexFiles[0];
  if (index === undefined) throw new AirlockError('NOT_FOUND', 'The volume index was not found, so the bundle cannot be kept whole.');
  const name = basename(index);
  const bundleName = name.endsWith(INDEX_SUFFIX) ? name.slice(0, -INDEX_SUFFIX.length) : split.check.name;
  files.push({ source: index, name: `${bundleName}${INDEX_SUFFIX}` });
  files.push({ source: join(dirname(index), `${name}.asc`), name: `${bundleName}${INDEX_SIGNATURE_SUFFIX}` });
  return files;
}

/** The report as kept: everything the operator saw, without the per-file audit rows. */
function withoutRows(result: ImportResult): ImportResult {
  const { payloadFiles: _rows, ...report } = result;
  return { ...report, payloadFiles: [] };
}

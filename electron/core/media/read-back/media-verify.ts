/**
 * `airlock media verify PATH|ID`: prove later what a medium holds. Every bundle on it is read
 * past the page cache and run through the verify pipeline (signature, every checksum); every
 * part set is checked against its signed volume index (and, when all its parts are on this
 * medium, reassembled and verified as a bundle). Leftover temp files are reported.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaRef, ReadBackMethod } from '../../../../shared/media.js';
import { problem, type Problem } from '../../../../shared/problems.js';
import type { ProgressListener } from '../../../../shared/progress.js';
import type { VerifyResult } from '../../../../shared/results.js';
import { BUNDLE_SUFFIX } from '../../bundle/format.js';
import { throwIfAborted } from '../../errors.js';
import { checkBundle, type CheckBundleOptions } from '../../verify/check-bundle.js';
import { noFileResults } from '../../verify/file-results.js';
import { DEFAULT_LIMITS } from '../../policy/limits.js';
import { policyNotReached } from '../../policy/policy-findings.js';
import { isAirlockTempName, parseIndexFileName, parsePartFileName } from '../parts/part-names.js';
import type { PartReader } from '../parts/part-set.js';
import { partSetBundle, routeSplit, throughParts } from '../parts/split-route.js';
import { openUncached, planUncachedRead, type ReadPlan } from './uncached-read.js';
import { parseIndex } from '../parts/volume-index.js';
import { readRegularFile } from '../../fs/open-regular.js';

export interface MediaVerifyItem {
  kind: 'bundle' | 'split';
  /** The bundle file, or the volume index of a part set. */
  file: string;
  ok: boolean;
  /** Split: whether the whole bundle was reassembled and verified (all parts on this medium). */
  reassembled: boolean;
  result: VerifyResult;
}

export interface MediaVerifyReport {
  ok: boolean;
  dir: string;
  medium: MediaRef | null;
  readBack: { method: ReadBackMethod; bypassesCache: boolean; detail: string } | null;
  items: MediaVerifyItem[];
  /** Every problem, its path prefixed with the file on the medium it was found in. */
  problems: Problem[];
  warnings: string[];
  seconds: number;
  /** The media-readback audit event (station's verifyMedia); absent from the bare read-back. */
  auditEvent?: number | undefined;
  /** The receipt sets written for this verification (station's verifyMedia, issue #19.2); absent from the bare read-back. */
  receipt?: MediaVerifyReceipts | undefined;
}

/** Where a medium's verification receipts went: one set per bundle or part set verified, never on the medium itself. */
export interface MediaVerifyReceipts {
  /** The folder they were written to (or were to be). */
  dir: string;
  /** One receipt set per item, in the report's order (empty when none could be written). */
  sets: Array<{ json: string; signature: string | null; html: string; pdf: string | null; pdfSignature: string | null }>;
  signed: boolean;
  /** Why no receipt was written (RECEIPT_DIR_UNUSABLE and its message); the verification's result stands. */
  problem: { code: string; message: string } | null;
}

export type VerifyChecks = Pick<CheckBundleOptions, 'trusted' | 'limits' | 'requiredSigners' | 'clockSkewSeconds' | 'now' | 'reportNames'>;

function located(file: string, p: Problem): Problem {
  if (p.path === undefined) return { ...p, path: file };
  if (p.path.startsWith('/')) return p;
  return { ...p, path: `${file}:${p.path}` };
}

export async function verifyMedium(
  dir: string,
  options: { checks: VerifyChecks; medium: MediaRef | null; signal?: AbortSignal | undefined; onProgress?: ProgressListener | undefined },
): Promise<MediaVerifyReport> {
  const started = performance.now();
  const entries = (await readdir(dir)).sort();
  const files: string[] = [];
  for (const entry of entries)
    if (
      await stat(join(dir, entry)).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      files.push(entry);
  const bundles = files.filter((f) => f.endsWith(BUNDLE_SUFFIX) && !f.startsWith('.'));
  const indexes = files.filter((f) => parseIndexFileName(f) !== null && !f.endsWith('.asc'));
  const warnings = files
    .filter(isAirlockTempName)
    .map((f) => `${join(dir, f)} is left over from an interrupted write (removed the next time Airlock writes to this medium).`);
  const items: MediaVerifyItem[] = [];
  const sample = [...bundles, ...indexes][0];
  let plan: ReadPlan | null = null;
  if (sample !== undefined)
    plan = await planUncachedRead(
      join(dir, sample),
      process.platform,
      options.medium ? { device: options.medium.device, mountPoint: options.medium.mountPoint } : undefined,
    );
  const reader: PartReader = (path, signal) => openUncached(path, plan as ReadPlan, signal);
  const common = {
    ...options.checks,
    signal: options.signal,
    onProgress: options.onProgress,
  };

  for (const file of bundles) {
    throwIfAborted(options.signal);
    const path = join(dir, file);
    const size = (await stat(path)).size;
    const result = await checkBundle({ ...common, bundlePath: path, source: { size, open: (signal) => reader(path, signal) } });
    const { payload: _payload, ...report } = result;
    items.push({ kind: 'bundle', file: path, ok: report.ok, reassembled: false, result: report });
  }

  for (const file of indexes) {
    throwIfAborted(options.signal);
    const path = join(dir, file);
    const parsed = parseIndex(await readRegularFile(path));
    // The copy on this medium says which volume this is; only its parts are expected here.
    const here = 'index' in parsed ? parsed.index : null;
    const allHere = here !== null && here.parts.every((p) => files.includes(p.file));
    const route = await routeSplit(path, {
      trusted: options.checks.trusted,
      clockSkewMs: (options.checks.clockSkewSeconds ?? 0) * 1000,
      now: options.checks.now,
      searchDirs: [],
      reader,
      signal: options.signal,
      onlyVolume: here && !allHere ? here.volume : undefined,
    });
    if (!route) continue;
    const unreached = policyNotReached(options.checks.limits ?? DEFAULT_LIMITS, options.checks.clockSkewSeconds ?? 0, options.checks.requiredSigners);
    const rejected = (base: VerifyResult): VerifyResult => ({ ...base, policy: unreached });
    let result: VerifyResult;
    if (allHere) {
      result = await throughParts(
        route,
        path,
        async () => {
          const { payload: _payload, ...report } = await checkBundle({ ...common, bundlePath: path, source: route.source as NonNullable<typeof route.source> });
          return report;
        },
        rejected,
      );
    } else {
      const checked = route.check;
      result = {
        ok: checked.problems.length === 0 && checked.index !== null,
        bundle: partSetBundle(path, checked),
        signers: checked.indexSigners,
        problems: checked.problems,
        files: noFileResults(),
        policy: unreached,
        parts: {
          count: checked.index?.parts.length ?? 0,
          volumes: checked.index?.volumes ?? 0,
          indexFiles: checked.indexFiles,
          files: checked.parts.map((p) => ({ file: p.file, volume: p.volume, path: p.path })),
        },
      };
    }
    items.push({ kind: 'split', file: path, ok: result.ok, reassembled: allHere && result.ok, result });
  }

  // Parts with no index on this medium cannot be checked at all.
  const names = new Set(indexes.map((f) => parseIndexFileName(f)));
  const orphans = files.filter((f) => {
    const part = parsePartFileName(f);
    return part !== null && !names.has(part.name);
  });
  const orphanProblems = orphans.map((f) => problem('INDEX_INVALID', `${join(dir, f)} is a part, but its volume index is not on this medium.`, join(dir, f)));

  const problems = [...items.flatMap((item) => item.result.problems.map((p) => located(item.file, p))), ...orphanProblems];
  const ok = items.length > 0 && problems.length === 0 && items.every((i) => i.ok);
  return {
    ok,
    dir,
    medium: options.medium,
    readBack: plan ? { method: plan.method, bypassesCache: plan.bypassesCache, detail: plan.detail } : null,
    items,
    problems,
    warnings,
    seconds: (performance.now() - started) / 1000,
  };
}

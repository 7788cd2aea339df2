/**
 * The table the bench ends with: every issue #18 target in one place, each with the value this
 * run measured, the target and PASS/MISS, or "n/a (section not run)" where the section that
 * measures it was skipped. Values come from the sections' own reports, so every number in it
 * was measured in this run, both sides of a ratio in the same section. A row measured on sizes
 * other than the target's says so in its label (the sizes are the run's, not the issue's).
 */
import type { AuditReport } from './audit-report.js';
import { binarySize, MB, table, type Target } from './format.js';
import type { HugeImportRun } from './huge-import.js';
import type { ManyFilesRun } from './many-files.js';
import { MEDIA_TARGET, type MediaBenchReport } from './media.js';
import type { BenchOptions } from './options.js';
import type { SetReport } from './report.js';
import { STARTUP_RUNS, type StartupRun } from './startup.js';

export type SummaryResult = 'PASS' | 'MISS' | 'n/a (section not run)' | 'n/a (not measured)' | 'reported';

export interface SummaryRow {
  id: string;
  label: string;
  /** The measured value as printed (units included); null when not measured. */
  value: string | null;
  target: string;
  result: SummaryResult;
}

export interface SummaryInput {
  options: BenchOptions;
  sets: readonly SetReport[];
  audit: AuditReport | null;
  media: MediaBenchReport | null;
  many: readonly ManyFilesRun[] | null;
  startup: StartupRun | null;
  huge: HugeImportRun | null;
}

const NOT_RUN: SummaryResult = 'n/a (section not run)';

function judge(value: number | null, target: Target): SummaryResult {
  if (value === null) return 'n/a (not measured)';
  const pass = target.op === '>=' ? value >= target.limit : target.op === '<=' ? value <= target.limit : value < target.limit;
  return pass ? 'PASS' : 'MISS';
}

const describe = (t: Target, unit = '') => `${t.op} ${String(t.limit)}${unit}`;

function ratioOf(set: SetReport | undefined, id: string): number | null {
  return set?.ratios.find((r) => r.id === id)?.value ?? null;
}

function stepSeconds(set: SetReport | undefined, id: string): number | null {
  return set?.steps.find((s) => s.id === id)?.seconds ?? null;
}

function quotient(a: number | null, b: number | null): number | null {
  return a === null || b === null || b <= 0 ? null : a / b;
}

/** One row: a section that did not run gives n/a, else the value judged against the target. */
function row(id: string, label: string, ran: boolean, value: number | null, target: Target, format: (v: number) => string): SummaryRow {
  if (!ran) return { id, label, value: null, target: describe(target), result: NOT_RUN };
  return { id, label, value: value === null ? null : format(value), target: describe(target), result: judge(value, target) };
}

const times = (v: number) => `${v.toFixed(2)}x`;
const secs = (v: number) => `${v.toFixed(2)} s`;

/** The airlock command with the highest peak RSS among everything this run measured. */
function peakRss(input: SummaryInput): { mb: number; what: string } | null {
  const seen: { kib: number; what: string }[] = [];
  for (const set of input.sets) for (const s of set.steps) if (s.id.startsWith('airlock-')) seen.push({ kib: s.maxRssKiB, what: `${s.label}, ${set.name}` });
  for (const s of input.audit?.steps ?? []) seen.push({ kib: s.maxRssKiB, what: s.label });
  for (const s of input.media?.steps ?? []) if (s.id.startsWith('airlock-')) seen.push({ kib: s.maxRssKiB, what: s.label });
  for (const run of input.many ?? []) for (const s of run.steps) seen.push({ kib: s.maxRssKiB, what: `${s.step}, ${String(run.files)} empty files` });
  if (input.startup) seen.push({ kib: input.startup.maxRssKiB, what: 'keys list' });
  const huge = input.huge?.maxRssKiB;
  if (huge) seen.push({ kib: huge.export, what: 'export, huge file' }, { kib: huge.import, what: 'import, huge file' });
  const top = seen.reduce<{ kib: number; what: string } | null>((best, s) => (best === null || s.kib > best.kib ? s : best), null);
  return top === null ? null : { mb: (top.kib * 1024) / MB, what: top.what };
}

export function buildSummary(input: SummaryInput): SummaryRow[] {
  const { options: o } = input;
  const large = input.sets.find((s) => s.name === 'large');
  const small = input.sets.find((s) => s.name === 'small');
  const largeSize = `${binarySize(o.largeBytes)} in ${String(o.largeFiles)} files`;
  const smallSize = `${String(o.smallFiles)} x ${binarySize(o.smallSize)}`;
  const rows: SummaryRow[] = [
    row(
      'verify-large',
      `verify ${largeSize}: airlock rate / one openssl process`,
      large !== undefined,
      ratioOf(large, 'verify-rate-vs-openssl'),
      { op: '>=', limit: 1.5 },
      times,
    ),
    row(
      'export-large-floor',
      `export ${largeSize} to a folder: airlock / dd write+fsync`,
      large !== undefined,
      ratioOf(large, 'export-time-vs-write-floor'),
      { op: '<=', limit: 1.05 },
      times,
    ),
  ];
  // Import: the pipeline ratio, or the disk's floor (dd write+fsync of the same bytes) where the disk bounds both.
  const importPipeline = ratioOf(large, 'import-time-vs-pipeline');
  const importFloor = quotient(stepSeconds(large, 'airlock-import'), stepSeconds(large, 'write-fsync'));
  const importLabel = `import ${largeSize}: airlock / pipeline (or / dd write+fsync floor)`;
  const importTarget = '<= 0.4x pipeline, or <= 1.05x floor';
  if (large === undefined) rows.push({ id: 'import-large', label: importLabel, value: null, target: importTarget, result: NOT_RUN });
  else {
    const value = importPipeline === null ? null : `${times(importPipeline)} pipeline; ${importFloor === null ? 'n/a' : times(importFloor)} floor`;
    const pass = (importPipeline !== null && importPipeline <= 0.4) || (importFloor !== null && importFloor <= 1.05);
    rows.push({
      id: 'import-large',
      label: importLabel,
      value,
      target: importTarget,
      result: importPipeline === null && importFloor === null ? 'n/a (not measured)' : pass ? 'PASS' : 'MISS',
    });
  }
  for (const [step, id] of [
    ['export', 'export-time-vs-pipeline'],
    ['verify', 'verify-time-vs-pipeline'],
    ['import', 'import-time-vs-pipeline'],
  ] as const) {
    rows.push(row(`small-${step}`, `${step} ${smallSize}: airlock / pipeline`, small !== undefined, ratioOf(small, id), { op: '<=', limit: 0.7 }, times));
  }
  const media = input.media;
  const mediaRan = media !== null && media.skipped === null;
  rows.push(
    row(
      'media-readback',
      `export ${media ? binarySize(media.bytes) : binarySize(o.mediaBytes)} with read-back to a loop device: airlock / pipeline + sha256sum${media?.skipped ? ` (skipped: ${media.skipped})` : ''}`,
      mediaRan,
      media?.ratio.value ?? null,
      { op: '<=', limit: MEDIA_TARGET },
      times,
    ),
  );
  const rss = peakRss(input);
  rows.push(
    rss === null
      ? { id: 'peak-rss', label: 'peak RSS, any airlock command measured', value: null, target: '< 100 MB', result: NOT_RUN }
      : {
          id: 'peak-rss',
          label: `peak RSS, any airlock command measured (top: ${rss.what})`,
          value: `${rss.mb.toFixed(1)} MB`,
          target: '< 100 MB',
          result: judge(rss.mb, { op: '<', limit: 100 }),
        },
  );
  const auditVerify = input.audit?.steps.find((s) => s.id === 'verify')?.seconds ?? null;
  rows.push(
    row('audit-verify', `audit verify, ${String(o.auditEvents)} events (whole CLI run)`, input.audit !== null, auditVerify, { op: '<', limit: 4 }, secs),
  );
  rows.push(
    row(
      'cli-startup',
      `CLI start-up, airlock keys list (median of ${String(input.startup?.seconds.length ?? STARTUP_RUNS)})`,
      input.startup !== null,
      input.startup?.medianSeconds ?? null,
      { op: '<', limit: 0.09 },
      secs,
    ),
  );
  const many = input.many?.find((run) => run.files === 200_000) ?? null;
  const manyImport = many?.steps.find((s) => s.step === 'import') ?? null;
  const manyRan = input.many !== null && many !== null;
  const manyLabel = many === null && input.many !== null ? ' (no 200,000-file run in --many-files)' : '';
  rows.push({
    id: 'import-200k',
    label: `import 200,000 empty files: time${manyLabel}`,
    value: manyImport ? secs(manyImport.seconds) : null,
    target: 'reported',
    result: manyRan ? (manyImport ? 'reported' : 'n/a (not measured)') : NOT_RUN,
  });
  rows.push(
    row(
      'import-200k-stall',
      'import 200,000 empty files: longest progress stall',
      manyRan,
      manyImport?.longestStallSeconds ?? null,
      { op: '<=', limit: 2 },
      secs,
    ),
  );
  const huge = input.huge;
  const hugeRan = huge !== null && huge.skipped === null;
  const hugeSize = binarySize(huge?.bytes ?? o.hugeBytes);
  const hugeNote = huge?.skipped ? ` (skipped: ${huge.skipped})` : huge === null ? ' (--huge-import)' : '';
  rows.push({
    id: 'import-huge',
    label: `import one ${hugeSize} file: time${hugeNote}`,
    value: huge && huge.importSeconds !== null ? secs(huge.importSeconds) : null,
    target: 'reported',
    result: hugeRan ? (huge.importSeconds === null ? 'n/a (not measured)' : 'reported') : NOT_RUN,
  });
  rows.push(
    row('import-huge-stall', `import one ${hugeSize} file: longest progress stall`, hugeRan, huge?.longestStallSeconds ?? null, { op: '<=', limit: 2 }, secs),
  );
  return rows;
}

/** PASS when every row that was measured against a target passed; rows not run do not count either way. */
export function summaryPasses(rows: readonly SummaryRow[]): boolean {
  return rows.every((r) => r.result !== 'MISS' && r.result !== 'n/a (not measured)');
}

export function renderSummaryText(rows: readonly SummaryRow[]): string {
  return [
    '== issue #18 targets (every row measured in this run) ==',
    '',
    table(
      ['workload', 'value', 'target', 'result'],
      rows.map((r) => [r.label, r.value ?? 'n/a', r.target, r.result]),
      [false, true, false, false],
    ),
  ].join('\n');
}

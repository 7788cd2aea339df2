/**
 * Turns measurements into the project's target ratios and renders them: a table per data set
 * for people, one JSON object for scripts and CI. Units: seconds; MB = 10^6 bytes for rates
 * and RSS (so "200 MB" in a target means 200,000,000 bytes); data sizes in binary units.
 */
import type { Machine } from './machine.js';
import type { BenchOptions, DataSetName } from './options.js';
import { STEP_LABELS, type SetRun, type StepId, type StepResult } from './suite.js';

export interface Target {
  op: '>=' | '<=' | '<';
  limit: number;
}

export interface Ratio {
  id: string;
  label: string;
  /** null when a denominator was too small to measure (0.00 s at GNU time's resolution). */
  value: number | null;
  target: Target | null;
  pass: boolean | null;
}

export interface SetReport {
  name: DataSetName;
  files: number;
  bytes: number;
  steps: (StepResult & { label: string; bytesPerSecond: number | null; peakRssMB: number })[];
  ratios: Ratio[];
  pipelineBundleAccepted: boolean;
  pipelineBundleProblems: string[];
}

export interface Report {
  machine: Machine;
  sizes: Pick<BenchOptions, 'largeBytes' | 'largeFiles' | 'smallFiles' | 'smallSize' | 'sets'>;
  sets: SetReport[];
  /** Every target with a value passed. */
  allTargetsPass: boolean;
}

const MB = 1e6;

/** The project's targets, per data set (DESIGN targets for the bench brief). */
const TARGETS: Record<DataSetName, Partial<Record<string, Target>>> = {
  large: { 'verify-rate-vs-openssl': { op: '>=', limit: 0.7 }, 'export-time-vs-pipeline': { op: '<=', limit: 0.7 }, 'verify-peak-rss-mb': { op: '<', limit: 200 } },
  small: { 'export-time-vs-pipeline': { op: '<=', limit: 1.0 }, 'verify-time-vs-pipeline': { op: '<=', limit: 1.0 }, 'verify-peak-rss-mb': { op: '<', limit: 200 } },
};

function meets(value: number, target: Target): boolean {
  return target.op === '>=' ? value >= target.limit : target.op === '<=' ? value <= target.limit : value < target.limit;
}

function quotient(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || b <= 0 ? null : a / b;
}

export function buildSetReport(name: DataSetName, files: number, bytes: number, result: SetRun): SetReport {
  const seconds = (id: StepId) => result.steps.find((s) => s.id === id)?.seconds;
  const rssKiB = result.steps.find((s) => s.id === 'airlock-verify')?.maxRssKiB;
  const values: [string, string, number | null][] = [
    // Same payload both times, so the rate ratio is the inverse time ratio.
    ['verify-rate-vs-openssl', 'airlock verify rate / openssl rate', quotient(seconds('openssl'), seconds('airlock-verify'))],
    ['export-time-vs-pipeline', 'airlock export time / pipeline export time', quotient(seconds('airlock-export'), seconds('pipeline-export'))],
    ['verify-time-vs-pipeline', 'airlock verify time / pipeline verify time', quotient(seconds('airlock-verify'), seconds('pipeline-verify'))],
    ['export-time-vs-write-floor', 'airlock export time / write+fsync time', quotient(seconds('airlock-export'), seconds('write-fsync'))],
    ['verify-peak-rss-mb', 'airlock verify peak RSS (MB)', rssKiB === undefined ? null : (rssKiB * 1024) / MB],
  ];
  const ratios = values.map(([id, label, value]): Ratio => {
    const target = TARGETS[name][id] ?? null;
    return { id, label, value, target, pass: target === null || value === null ? null : meets(value, target) };
  });
  const steps = result.steps.map((s) => ({
    ...s,
    label: STEP_LABELS[s.id],
    bytesPerSecond: s.seconds > 0 ? bytes / s.seconds : null,
    peakRssMB: (s.maxRssKiB * 1024) / MB,
  }));
  return { name, files, bytes, steps, ratios, pipelineBundleAccepted: result.pipelineBundleAccepted, pipelineBundleProblems: result.pipelineBundleProblems };
}

export function buildReport(machine: Machine, options: BenchOptions, sets: SetReport[]): Report {
  const { largeBytes, largeFiles, smallFiles, smallSize, sets: names } = options;
  // A target whose value could not be measured counts as missed: "no data" must not read as a pass.
  const allTargetsPass = sets.every((s) => s.ratios.every((r) => r.target === null || r.pass === true));
  return { machine, sizes: { largeBytes, largeFiles, smallFiles, smallSize, sets: names }, sets, allTargetsPass };
}

export function binarySize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${String(bytes)} bytes` : `${value.toFixed(value >= 100 ? 0 : 2)} ${units[unit] ?? ''}`;
}

function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function describeSizes(s: Report['sizes']): string {
  return s.sets
    .map((name) => name === 'large'
      ? `large = ${binarySize(s.largeBytes)} in ${String(s.largeFiles)} files`
      : `small = ${String(s.smallFiles)} files of ${binarySize(s.smallSize)} over up to 100 dirs`)
    .join('; ');
}

function describeTarget(t: Target | null): string {
  return t === null ? '-' : `${t.op} ${String(t.limit)}`;
}

export function renderText(report: Report, withCommands: boolean): string {
  const m = report.machine;
  const out: string[] = [
    'Airlock bench',
    `  machine: nproc ${String(m.nproc)}, ${m.cpu}, ${m.memory}, ${m.kernel}`,
    `  node ${m.node}; ${m.tools.join('; ')}`,
    `  data: ${describeSizes(report.sizes)}`,
    `  temp dir filesystem: ${m.tempFs}`,
    '  each step timed once with /usr/bin/time (wall s, peak RSS) on a warm page cache; MB = 10^6 bytes',
  ];
  for (const set of report.sets) {
    out.push('', `== ${set.name}: ${String(set.files)} files, ${binarySize(set.bytes)} payload (${String(set.bytes)} bytes) ==`, '');
    out.push(table(
      ['step', 'seconds', 'MB/s', 'peak RSS MB'],
      set.steps.map((s) => [s.label, s.seconds.toFixed(2), s.bytesPerSecond === null ? 'n/a' : (s.bytesPerSecond / MB).toFixed(1), s.peakRssMB.toFixed(1)]),
      [false, true, true, true],
    ));
    out.push('');
    out.push(table(
      ['ratio', 'value', 'target', 'result'],
      set.ratios.map((r) => [r.label, r.value === null ? 'n/a' : r.value.toFixed(r.id === 'verify-peak-rss-mb' ? 1 : 2), describeTarget(r.target), r.target === null ? '' : r.pass === true ? 'PASS' : 'MISS']),
      [false, true, true, false],
    ));
    out.push('', `  hand-made (pipeline) bundle accepted by airlock verify: ${set.pipelineBundleAccepted ? 'yes' : `NO (${set.pipelineBundleProblems.join('; ')})`}`);
  }
  out.push('', `All targets: ${report.allTargetsPass ? 'PASS' : 'MISS'}`);
  if (!withCommands) return out.join('\n');
  out.push('', 'Commands as measured (each inside /usr/bin/time -f \'%e %M\' -o FILE --):');
  for (const set of report.sets) {
    out.push('', `# ${set.name}`);
    for (const s of set.steps) out.push(`## ${s.label}`, s.command);
  }
  return out.join('\n');
}

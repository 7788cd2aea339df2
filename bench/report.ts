/**
 * Turns measurements into the project's target ratios and renders them: a table per data set
 * (and one for the audit log) for people, one JSON object for scripts and CI. Units as in
 * format.ts: seconds; MB = 10^6 bytes for rates and RSS; data sizes in binary units.
 */
import { renderAuditText, type AuditReport } from './audit-report.js';
import { allPass, binarySize, MB, ratio, ratioTable, table, type Ratio, type Target } from './format.js';
import type { Machine } from './machine.js';
import type { BenchOptions, DataSetName } from './options.js';
import { STEP_LABELS, type SetRun, type StepId, type StepResult } from './suite.js';

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
  sizes: Pick<BenchOptions, 'largeBytes' | 'largeFiles' | 'smallFiles' | 'smallSize' | 'sets' | 'audit' | 'auditEvents'>;
  sets: SetReport[];
  /** null when the audit section was not run. */
  audit: AuditReport | null;
  /** Every target with a value passed. */
  allTargetsPass: boolean;
}

/** The project's targets, per data set (DESIGN targets for the bench brief). */
const TARGETS: Record<DataSetName, Partial<Record<string, Target>>> = {
  large: {
    'verify-rate-vs-openssl': { op: '>=', limit: 0.7 },
    'export-time-vs-pipeline': { op: '<=', limit: 0.7 },
    'verify-peak-rss-mb': { op: '<', limit: 200 },
    'import-time-vs-pipeline': { op: '<=', limit: 0.6 },
    'import-peak-rss-mb': { op: '<', limit: 200 },
  },
  small: {
    'export-time-vs-pipeline': { op: '<=', limit: 1.0 },
    'verify-time-vs-pipeline': { op: '<=', limit: 1.0 },
    'verify-peak-rss-mb': { op: '<', limit: 200 },
    'import-time-vs-pipeline': { op: '<=', limit: 1.0 },
    'import-peak-rss-mb': { op: '<', limit: 200 },
  },
};

function quotient(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || b <= 0 ? null : a / b;
}

export function buildSetReport(name: DataSetName, files: number, bytes: number, result: SetRun): SetReport {
  const seconds = (id: StepId) => result.steps.find((s) => s.id === id)?.seconds;
  const rssMB = (id: StepId) => {
    const kib = result.steps.find((s) => s.id === id)?.maxRssKiB;
    return kib === undefined ? null : (kib * 1024) / MB;
  };
  const values: [string, string, number | null][] = [
    // Same payload both times, so the rate ratio is the inverse time ratio.
    ['verify-rate-vs-openssl', 'airlock verify rate / openssl rate', quotient(seconds('openssl'), seconds('airlock-verify'))],
    ['export-time-vs-pipeline', 'airlock export time / pipeline export time', quotient(seconds('airlock-export'), seconds('pipeline-export'))],
    ['verify-time-vs-pipeline', 'airlock verify time / pipeline verify time', quotient(seconds('airlock-verify'), seconds('pipeline-verify'))],
    ['export-time-vs-write-floor', 'airlock export time / write+fsync time', quotient(seconds('airlock-export'), seconds('write-fsync'))],
    ['verify-peak-rss-mb', 'airlock verify peak RSS (MB)', rssMB('airlock-verify')],
    ['import-time-vs-pipeline', 'airlock import time / pipeline import time', quotient(seconds('airlock-import'), seconds('pipeline-import'))],
    ['import-peak-rss-mb', 'airlock import peak RSS (MB)', rssMB('airlock-import')],
  ];
  const ratios = values.map(([id, label, value]): Ratio => ratio(id, label, value, TARGETS[name][id] ?? null));
  const steps = result.steps.map((s) => ({
    ...s,
    label: STEP_LABELS[s.id],
    bytesPerSecond: s.seconds > 0 ? bytes / s.seconds : null,
    peakRssMB: (s.maxRssKiB * 1024) / MB,
  }));
  return { name, files, bytes, steps, ratios, pipelineBundleAccepted: result.pipelineBundleAccepted, pipelineBundleProblems: result.pipelineBundleProblems };
}

export function buildReport(machine: Machine, options: BenchOptions, sets: SetReport[], audit: AuditReport | null): Report {
  const { largeBytes, largeFiles, smallFiles, smallSize, sets: names, auditEvents } = options;
  const allTargetsPass = sets.every((s) => allPass(s.ratios)) && (audit === null || allPass(audit.checks));
  return { machine, sizes: { largeBytes, largeFiles, smallFiles, smallSize, sets: names, audit: audit !== null, auditEvents }, sets, audit, allTargetsPass };
}

function describeSizes(s: Report['sizes']): string {
  const parts = s.sets.map((name) =>
    name === 'large'
      ? `large = ${binarySize(s.largeBytes)} in ${String(s.largeFiles)} files`
      : `small = ${String(s.smallFiles)} files of ${binarySize(s.smallSize)} over up to 100 dirs`,
  );
  if (s.audit) parts.push(`audit = ${String(s.auditEvents)} events`);
  return parts.join('; ');
}

export function renderText(report: Report, withCommands: boolean): string {
  const m = report.machine;
  const out: string[] = [
    'Airlock bench',
    `  machine: nproc ${String(m.nproc)}, ${m.cpu}, ${m.memory}, ${m.kernel}`,
    `  node ${m.node}; ${m.tools.join('; ')}`,
    `  data: ${describeSizes(report.sizes)}`,
    `  temp dir filesystem: ${m.tempFs}`,
    `  airlock CLI runs from: ${m.airlockCli}`,
    '  each step timed once with /usr/bin/time (wall s, peak RSS) on a warm page cache; MB = 10^6 bytes',
  ];
  for (const set of report.sets) {
    out.push('', `== ${set.name}: ${String(set.files)} files, ${binarySize(set.bytes)} payload (${String(set.bytes)} bytes) ==`, '');
    out.push(
      table(
        ['step', 'seconds', 'MB/s', 'peak RSS MB'],
        set.steps.map((s) => [s.label, s.seconds.toFixed(2), s.bytesPerSecond === null ? 'n/a' : (s.bytesPerSecond / MB).toFixed(1), s.peakRssMB.toFixed(1)]),
        [false, true, true, true],
      ),
    );
    out.push('');
    out.push(ratioTable(set.ratios, 'ratio', (r) => (r.id.endsWith('-mb') ? 1 : 2)));
    out.push(
      '',
      `  hand-made (pipeline) bundle accepted by airlock verify: ${set.pipelineBundleAccepted ? 'yes' : `NO (${set.pipelineBundleProblems.join('; ')})`}`,
    );
  }
  if (report.audit) out.push('', renderAuditText(report.audit));
  // The verdict ("All targets") is printed by run.ts after the last section and the #18 table.
  if (!withCommands) return out.join('\n');
  out.push('', "Commands as measured (each inside /usr/bin/time -f '%e %M' -o FILE --):");
  for (const set of report.sets) {
    out.push('', `# ${set.name}`);
    for (const s of set.steps) out.push(`## ${s.label}`, s.command);
  }
  if (report.audit) {
    out.push('', '# audit');
    for (const s of report.audit.steps) out.push(`## ${s.label}`, s.command);
  }
  return out.join('\n');
}

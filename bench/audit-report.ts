/** The audit section's figures, targets and tables (same units and table style as report.ts). */
import { AUDIT_STEP_LABELS, type AuditRun, type AuditStepId, type AuditStepResult, type QueryTiming } from './audit-bench.js';
import type { AuditBuild } from './audit-data.js';
import { binarySize, MB, ratio, ratioTable, table, type Ratio, type Target } from './format.js';

export interface AuditReport extends AuditBuild {
  dbBytes: number;
  checkpoints: number;
  steps: (AuditStepResult & { label: string; peakRssMB: number })[];
  queries: (QueryTiming & { label: string })[];
  checks: Ratio[];
}

const TARGETS: Partial<Record<string, Target>> = {
  'list-filtered-query-ms': { op: '<', limit: 50 },
  'verify-seconds': { op: '<', limit: 10 },
};

export function buildAuditReport(run: AuditRun): AuditReport {
  const seconds = (id: AuditStepId) => run.steps.find((s) => s.id === id)?.seconds ?? null;
  const firstMs = (id: QueryTiming['id']) => run.queries.find((q) => q.id === id)?.firstMs ?? null;
  const ms = (s: number | null) => (s === null ? null : s * 1000);
  const verifyRss = run.steps.find((s) => s.id === 'verify')?.maxRssKiB;
  const values: [string, string, number | null][] = [
    ['cli-startup-ms', 'CLI startup alone, airlock --version (ms)', ms(seconds('startup'))],
    ['list-filtered-query-ms', 'filtered latest 100: query time, in-process (ms)', firstMs('list-filtered')],
    ['list-filtered-cli-ms', 'filtered latest 100: whole CLI run (ms)', ms(seconds('list-filtered'))],
    ['list-text-query-ms', 'rare text, full scan: query time, in-process (ms)', firstMs('list-text')],
    ['list-text-cli-ms', 'rare text, full scan: whole CLI run (ms)', ms(seconds('list-text'))],
    ['verify-seconds', 'audit verify, full chain: whole CLI run (s)', seconds('verify')],
    ['verify-peak-rss-mb', 'audit verify peak RSS (MB)', verifyRss === undefined ? null : (verifyRss * 1024) / MB],
  ];
  const { build, dbBytes, checkpoints } = run;
  return {
    ...build,
    dbBytes,
    checkpoints,
    steps: run.steps.map((s) => ({ ...s, label: AUDIT_STEP_LABELS[s.id], peakRssMB: (s.maxRssKiB * 1024) / MB })),
    queries: run.queries.map((q) => ({ ...q, label: `listAuditEvents: ${AUDIT_STEP_LABELS[q.id].replace(/^audit list /u, '')}` })),
    checks: values.map(([id, label, value]) => ratio(id, label, value, TARGETS[id] ?? null)),
  };
}

export function renderAuditText(a: AuditReport): string {
  return [
    `== audit: ${String(a.events)} events, ${String(a.fileRows)} per-file rows, ${String(a.rejected)} rejected, database ${binarySize(a.dbBytes)} ==`,
    '',
    `  log built in ${a.seconds.toFixed(1)} s (chain computed in-process with the store's eventHash/filesDigest, big transactions;`,
    `  last event through appendAuditEvent); ${String(a.checkpoints)} signed checkpoint; ${String(a.rejectedImports)} rejected imports;`,
    `  ${String(a.needleEvents)} events match the rare text, so that search scans the whole log`,
    '',
    table(
      ['airlock CLI (whole process)', 'seconds', 'peak RSS MB'],
      a.steps.map((s) => [s.label, s.seconds.toFixed(2), s.peakRssMB.toFixed(1)]),
      [false, true, true],
    ),
    '',
    table(
      ['in-process query', 'first ms', `median of next ${String(a.queries[0]?.repeats ?? 0)} ms`, 'matches'],
      a.queries.map((q) => [q.label, q.firstMs.toFixed(2), q.medianMs.toFixed(2), String(q.matches)]),
      [false, true, true, true],
    ),
    '',
    ratioTable(a.checks, 'check', (r) => (r.id.endsWith('-ms') ? 1 : r.id.endsWith('-mb') ? 1 : 2)),
  ].join('\n');
}

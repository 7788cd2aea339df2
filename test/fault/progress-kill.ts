/**
 * Kill instants taken from the child's own progress, not from a clock: a seeded point `at` in
 * [0, 1) names a phase of the operation (`phases`, in the order it passes through them) and a
 * fraction of that phase, and the child (run with `--progress`) is killed when its progress line
 * reaches them. One timing run per fixture (the old way) put every kill of a seed after the end
 * when the load changed between the timing run and the trials (faults5); progress moves with the
 * child, so the kill lands inside the work whatever the load.
 */
import { PHASE_LABELS } from '../../shared/phase-labels.js';
import type { ProgressPhase } from '../../shared/progress.js';

export interface ProgressKill {
  /** The phases the operation prints, in order. */
  phases: readonly ProgressPhase[];
  /** Seeded point in [0, 1): phase floor(at * n), that fraction of it. */
  at: number;
}

export interface ProgressSample {
  phase: ProgressPhase;
  /** Bytes (or else files) done of the phase's total; null when the line shows no total. */
  fraction: number | null;
}

/** The phases of the commands the harness kills (as printed with --progress, checked by hand and in progress-kill.test.ts). */
export const IMPORT_PHASES: readonly ProgressPhase[] = [
  'verifying-signature',
  'reading-manifest',
  'verifying-payload',
  'recording-files',
  'syncing',
  'settling',
  'writing-receipts',
];
export const EXPORT_PHASES: readonly ProgressPhase[] = ['scanning', 'hashing-and-writing', 'signing', 'writing-tag-files', 'syncing', 'writing-receipts'];
/** An export to a medium reads the bundle back from it before publishing. */
export const MEDIA_EXPORT_PHASES: readonly ProgressPhase[] = [
  'scanning',
  'hashing-and-writing',
  'signing',
  'writing-tag-files',
  'syncing',
  'reading-back',
  'writing-receipts',
];

const BY_LABEL = new Map(Object.entries(PHASE_LABELS).map(([phase, label]) => [label.short, phase as ProgressPhase]));

/** One progress line as electron/cli/progress-line.ts renders it (parts joined by two spaces). */
export function parseProgressLine(line: string): ProgressSample | null {
  const parts = line.split('  ');
  const phase = BY_LABEL.get(parts[0] ?? '');
  if (phase === undefined) return null;
  const percent = parts.map((p) => /^\S.* \/ .* \((\d+)%\)$/u.exec(p)).find((m) => m !== null);
  if (percent) return { phase, fraction: Number(percent[1]) / 100 };
  const files = parts.map((p) => /^(\d+)\/(\d+) files?$/u.exec(p)).find((m) => m !== null);
  if (files && Number(files[2]) > 0) return { phase, fraction: Number(files[1]) / Number(files[2]) };
  return { phase, fraction: null };
}

/**
 * The lines in one chunk of stderr. Each line is one small write (`\r`, erase-line, text), and a
 * pipe delivers a write of under PIPE_BUF bytes whole, so a chunk's last line is parsed at once
 * rather than held until the next line arrives (250 ms later).
 */
export function progressLines(chunk: string): string[] {
  return chunk
    .split(/[\r\n]/u)
    .map((s) => s.replaceAll(ERASE_LINE, '').trim())
    .filter((s) => s.length > 0);
}

const ERASE_LINE = '\u001b[2K';

export type KillDecision = { kind: 'now' } | { kind: 'after'; ms: number } | null;

/** Decides, line by line, when the kill is due. */
export class ProgressKillPlan {
  readonly phase: ProgressPhase;
  readonly fraction: number;
  private readonly index: number;
  private last: { fraction: number; t: number } | null = null;

  constructor(private readonly kill: ProgressKill) {
    const n = kill.phases.length;
    this.index = Math.min(n - 1, Math.floor(kill.at * n));
    this.phase = kill.phases[this.index] as ProgressPhase;
    this.fraction = Math.min(1, Math.max(0, kill.at * n - this.index));
  }

  /** Where the kill aims, for the trial's outcome (no ':' in it: run-scenarios.ts cuts the instant at one). */
  describe(): string {
    return `${this.phase} ${Math.round(this.fraction * 100)}%`;
  }

  /**
   * 'now' once the target phase reached its fraction or a later phase shows (a short phase may
   * print no line at all); 'after' the instant the phase's own rate says it will reach it (the
   * lines come 250 ms apart, so waiting for the next one would bunch the kills).
   */
  decide(sample: ProgressSample, tMs: number): KillDecision {
    const at = this.kill.phases.indexOf(sample.phase);
    if (at < 0 || at < this.index) return null;
    if (at > this.index || sample.fraction === null || sample.fraction >= this.fraction) return { kind: 'now' };
    const last = this.last;
    this.last = { fraction: sample.fraction, t: tMs };
    if (last === null || sample.fraction <= last.fraction || tMs <= last.t) return null;
    const rate = (sample.fraction - last.fraction) / (tMs - last.t);
    return { kind: 'after', ms: (this.fraction - sample.fraction) / rate };
  }
}

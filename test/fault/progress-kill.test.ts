import { describe, expect, it } from 'vitest';
import { renderProgress } from '../../electron/cli/progress-line.js';
import type { Progress } from '../../shared/progress.js';
import { EXPORT_PHASES, IMPORT_PHASES, parseProgressLine, ProgressKillPlan, progressLines } from './progress-kill.js';

const progress = (p: Partial<Progress> & Pick<Progress, 'phase'>): Progress => ({
  bytesDone: 0,
  bytesTotal: null,
  filesDone: 0,
  filesTotal: null,
  rateBytesPerSecond: null,
  etaSeconds: null,
  ...p,
});

describe('parseProgressLine (the lines the CLI renders)', () => {
  it('reads the phase and the bytes done of the total, else the files, else none', () => {
    const bytes = renderProgress(progress({ phase: 'verifying-payload', bytesDone: 3 * 2 ** 20, bytesTotal: 12 * 2 ** 20, filesDone: 1, filesTotal: 6 }));
    expect(parseProgressLine(bytes)).toEqual({ phase: 'verifying-payload', fraction: 0.25 });
    expect(parseProgressLine(renderProgress(progress({ phase: 'recording-files', filesDone: 3, filesTotal: 6 })))).toEqual({
      phase: 'recording-files',
      fraction: 0.5,
    });
    expect(parseProgressLine(renderProgress(progress({ phase: 'signing' })))).toEqual({ phase: 'signing', fraction: null });
    // Labels that begin another label ('Hashing' / 'Hashing and writing', 'Writing' / 'Writing the manifest').
    expect(parseProgressLine(renderProgress(progress({ phase: 'hashing-and-writing', bytesDone: 1, bytesTotal: 2 })))?.phase).toBe('hashing-and-writing');
    expect(parseProgressLine(renderProgress(progress({ phase: 'writing-tag-files', bytesDone: 0, bytesTotal: 2 })))?.phase).toBe('writing-tag-files');
    expect(parseProgressLine('warning: The receipt and the audit checkpoint are unsigned')).toBeNull();
  });

  it('splits a chunk of stderr into its lines without the erase-line escapes', () => {
    expect(progressLines('\r\u001b[2KSigning\r\u001b[2KSyncing to disk  0 B / 1 B (0%)\nwarning: x\n')).toEqual([
      'Signing',
      'Syncing to disk  0 B / 1 B (0%)',
      'warning: x',
    ]);
  });
});

describe('ProgressKillPlan', () => {
  it('maps the seeded point to a phase and a fraction of it', () => {
    const plan = new ProgressKillPlan({ phases: EXPORT_PHASES, at: 1.5 / EXPORT_PHASES.length });
    expect(plan.phase).toBe('hashing-and-writing');
    expect(plan.fraction).toBeCloseTo(0.5);
    expect(new ProgressKillPlan({ phases: IMPORT_PHASES, at: 0.999999 }).phase).toBe('writing-receipts');
  });

  it('waits through earlier phases, kills when the fraction is reached or a later phase shows', () => {
    const at = (2 + 0.5) / IMPORT_PHASES.length; // verifying-payload at 50%
    const plan = new ProgressKillPlan({ phases: IMPORT_PHASES, at });
    expect(plan.decide({ phase: 'verifying-signature', fraction: 1 }, 0)).toBeNull();
    expect(plan.decide({ phase: 'verifying-payload', fraction: 0.1 }, 100)).toBeNull();
    // 0.1 -> 0.3 in 200 ms: 0.5 is due 200 ms later.
    const due = plan.decide({ phase: 'verifying-payload', fraction: 0.3 }, 300);
    expect(due?.kind).toBe('after');
    expect(due?.kind === 'after' ? due.ms : NaN).toBeCloseTo(200);
    expect(plan.decide({ phase: 'verifying-payload', fraction: 0.6 }, 400)).toEqual({ kind: 'now' });
    const skipped = new ProgressKillPlan({ phases: IMPORT_PHASES, at });
    expect(skipped.decide({ phase: 'recording-files', fraction: 0 }, 0)).toEqual({ kind: 'now' });
    // A line with no total in the target phase: nothing finer to wait for.
    const signing = new ProgressKillPlan({ phases: EXPORT_PHASES, at: 2.7 / EXPORT_PHASES.length });
    expect(signing.decide({ phase: 'signing', fraction: null }, 0)).toEqual({ kind: 'now' });
  });
});

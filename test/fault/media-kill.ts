/**
 * kill -9 of an export to a medium (`export --to-media`, one pass to an ext4 loop device standing
 * in for a USB stick, test/helpers/loop-media.ts) at a seeded point of its own progress: writing,
 * syncing, reading back, publishing. Then the trial of scenarios.ts: the next start agrees with the medium (a
 * bundle there is recorded once and verifies, or there is none), a retry succeeds or says
 * OUTPUT_EXISTS, and no temp file is left on the medium after the retry. Linux, root, loop devices.
 */
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LoopMedia } from '../helpers/loop-media.js';
import { setMediaRoots } from '../helpers/media-cli.js';
import { airlock, cloneHome, type Fixture } from './harness.js';
import { MEDIA_EXPORT_PHASES } from './progress-kill.js';
import { exportTrial, type TrialResult } from './scenarios.js';

const LABEL = 'FAULTSTICK';

/** The --out OUT pair of a folder export becomes --to-media LABEL. */
function toMedia(args: string[]): string[] {
  const at = args.indexOf('--out');
  return at < 0 ? args : [...args.slice(0, at), '--to-media', LABEL, ...args.slice(at + 2)];
}

/** A medium twice the bundle's size and 16 MiB, so the export fits beside a killed run's temp file. */
async function medium(fixture: Fixture, place: string): Promise<{ media: LoopMedia; mountPoint: string }> {
  const media = new LoopMedia(place);
  const sizeMiB = Math.ceil((2 * (await stat(fixture.bundle)).size) / 2 ** 20) + 16;
  const stick = await media.ext4('stick', sizeMiB, LABEL);
  return { media, mountPoint: stick.mountPoint };
}

/** `at`: the seeded point of the export's own progress to kill it at (progress-kill.ts). */
export async function mediaKillTrial(fixture: Fixture, trial: number, at: number): Promise<TrialResult> {
  const killAt = { phases: MEDIA_EXPORT_PHASES, at };
  const place = await mkdtemp(join(fixture.root, `kill-media-export-${trial}-`));
  const { media, mountPoint } = await medium(fixture, place);
  try {
    const home = await cloneHome(fixture, join(place, 'home'));
    await setMediaRoots(home, [mountPoint]);
    const result = await exportTrial(fixture, trial, { killAt }, 'kill-media-export', {
      home,
      dir: mountPoint,
      first: (args) => airlock(home, args, { killAt }),
      exportArgs: toMedia,
    });
    // On a medium a temp file left is room taken from the next export: a promise, not a note.
    const temps = (await readdir(mountPoint)).filter((n) => n.endsWith('.partial'));
    const bad = temps.length > 0 ? [...result.bad, `temp files left on the medium after the retry: ${temps.join(', ')}`] : result.bad;
    return { ...result, bad, notes: result.notes.filter((n) => !n.startsWith('temp files left')) };
  } finally {
    media.cleanup();
  }
}

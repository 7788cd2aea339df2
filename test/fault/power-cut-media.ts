/**
 * A power cut of an export to a medium (`export --to-media`, media-kill.ts's set-up: an ext4 loop
 * device declared as a media root, standing in for a USB stick) at a seeded point of its own
 * progress, as kill-media-export's: writing, syncing, reading back, publishing, receipts. The station home is on one cut disk
 * (power-cut.ts), the medium on a second loop device; one cut freezes the export's process group
 * and copies both images, so both come back as their devices held them at that instant (the
 * journals replayed), the medium mounted again at its mount point under its label.
 *
 * Then scenarios.ts's export checks (checkExportRecords): the next start agrees with the medium:
 * a bundle at its final name is recorded once (one `export ok` event, one exported intent) and
 * verifies, or there is none and no ok event; the retry succeeds or says OUTPUT_EXISTS; and no
 * temp file is left on the medium after the retry (room taken from the stick).
 */
import { mkdir, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setMediaRoots } from '../helpers/media-cli.js';
import { cloneHome, type Fixture } from './harness.js';
import { Disk, onCutDisk, runAndCut, sh } from './power-cut.js';
import { MEDIA_EXPORT_PHASES } from './progress-kill.js';
import { exportTrial, type TrialResult } from './scenarios.js';

const LABEL = 'FAULTSTICK';

/** The --out OUT pair of a folder export becomes --to-media LABEL. */
function toMedia(args: string[]): string[] {
  const at = args.indexOf('--out');
  return at < 0 ? args : [...args.slice(0, at), '--to-media', LABEL, ...args.slice(at + 2)];
}

/** A medium twice the bundle's size and 16 MiB (as media-kill.ts's), ext4 labelled FAULTSTICK, mounted; `body` gets it; detached and deleted after. */
async function onMedium<T>(fixture: Fixture, base: string, body: (medium: Disk, snapshot: string) => Promise<T>): Promise<T> {
  const medium = new Disk(`${base}-stick.img`, `${base}-stick`);
  const snapshot = `${base}-stick-snapshot.img`;
  await mkdir(medium.mountPoint, { recursive: true });
  await writeFile(medium.image, '');
  await truncate(medium.image, (Math.ceil((2 * (await stat(fixture.bundle)).size) / 2 ** 20) + 16) * 2 ** 20);
  try {
    medium.attach();
    sh('mkfs.ext4', ['-q', '-F', '-L', LABEL, '-m', '0', medium.device]);
    medium.mount();
    return await body(medium, snapshot);
  } finally {
    medium.release();
    await rm(medium.image, { force: true });
    await rm(snapshot, { force: true });
  }
}

/** `at` in [0, 1): the seeded point of the export's own progress to cut it at (progress-kill.ts), as kill-media-export's. */
export async function powerCutMediaTrial(fixture: Fixture, trial: number, at: number, attempt = 0): Promise<TrialResult> {
  const cutAt = { phases: MEDIA_EXPORT_PHASES, at };
  const scenario = 'power-cut-media-export';
  const name = `${scenario}-${trial}${attempt ? `-r${attempt}` : ''}`;
  return onCutDisk(fixture, name, async (disk, snapshot) =>
    onMedium(fixture, join(fixture.root, name), async (medium, mediumSnapshot) => {
      const home = await cloneHome(fixture, join(disk.mountPoint, 'home'));
      await setMediaRoots(home, [medium.mountPoint]);
      sh('sync', ['--file-system', disk.mountPoint]);
      const result = await exportTrial(fixture, trial, { killAt: cutAt }, scenario, {
        home,
        dir: medium.mountPoint,
        first: (args) => runAndCut(disk, snapshot, home, args, cutAt, [{ disk: medium, snapshot: mediumSnapshot }]),
        exportArgs: toMedia,
      });
      // On a medium a temp file left is room taken from the next export: a promise, not a note.
      const temps = (await readdir(medium.mountPoint)).filter((n) => n.endsWith('.partial'));
      const bad = temps.length > 0 ? [...result.bad, `temp files left on the medium after the retry: ${temps.join(', ')}`] : result.bad;
      return { ...result, outcome: result.outcome.replace(/^killed@/u, 'cut@'), bad, notes: result.notes.filter((n) => !n.startsWith('temp files left')) };
    }),
  );
}

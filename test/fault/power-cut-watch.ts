/**
 * A power cut of `airlock watch` (power-cut.ts's model: the disk as written to its device at a
 * seeded instant, the journal replayed) while it claims, imports, quarantines, writes its reports
 * and its status. The home, the inbox and the destination share one ext4 loop disk, as on a
 * station whose inbox is a local folder. The inbox holds kill-watch's bundles: three good ones and
 * a tampered one. The instant is counted from the settling of a seeded number of bundles (observed
 * from outside), plus a seeded part of one bundle's share of the drain time, as kill-watch's.
 *
 * After the cut, before any command: no final name in the destination holds a partial import, the
 * watcher's reports and the status file parse, and every bundle is in exactly one place (the inbox,
 * a claim folder, accepted/ or quarantine/), whole: never lost, never in two. Then a new watcher
 * settles and drains the inbox, and kill-watch's checks run (each good bundle imported once with
 * one ledger row and one ok event, the tampered one quarantined, the chain verifies, no staging),
 * with nothing left over: no claim folder, no temp file in the home.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { settledNames, waitUntil } from '../helpers/watch-process.js';
import { importState, type Fixture } from './harness.js';
import { freezeAndCopy, mountSnapshot, onCutDisk, sh, spawnCuttable } from './power-cut.js';
import type { TrialResult } from './scenarios.js';
import { bundles, drainAndCheck, fillPlace, settled, type WatchBundles } from './watch-kill.js';

const WORK = '.airlock-watch';

/** Where `NAME.airlock.tar` lies in the inbox's folders, each place with whether the file there is whole. */
export async function placesOf(inbox: string, name: string, digest: string): Promise<string[]> {
  const file = `${name}.airlock.tar`;
  const places: string[] = [];
  const look = async (dir: string, label: string): Promise<void> => {
    const path = join(dir, file);
    if (!(await stat(path).catch(() => null))?.isFile()) return;
    const whole = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    places.push(whole === digest ? label : `${label} (altered)`);
  };
  await look(inbox, 'inbox');
  for (const sub of [WORK, 'accepted', 'quarantine', 'refused']) {
    for (const folder of await readdir(join(inbox, sub)).catch(() => [] as string[])) await look(join(inbox, sub, folder), `${sub}/${folder}`);
  }
  // How far a claim got (claim-folder.ts's steps): taken, its report written, decided.
  for (const [i, place] of places.entries()) {
    if (!place.startsWith(`${WORK}/`)) continue;
    const dir = join(inbox, place.split(' ')[0] as string);
    const stage = (await stat(join(dir, 'outcome.json')).catch(() => null))
      ? 'decided'
      : (await stat(join(dir, 'report.json')).catch(() => null))
        ? 'reported'
        : 'taken';
    places[i] = place.replace(`${WORK}/`, `${WORK}:${stage}/`);
  }
  return places;
}

/** The files a watcher writes at final names that must parse: its claims' claim.json, report.json, outcome.json. The status file is checked apart. */
async function tornReports(inbox: string): Promise<string[]> {
  const torn: string[] = [];
  for (const sub of [WORK, 'accepted', 'quarantine']) {
    for (const folder of await readdir(join(inbox, sub)).catch(() => [] as string[])) {
      for (const file of ['claim.json', 'report.json', 'outcome.json']) {
        const text = await readFile(join(inbox, sub, folder, file), 'utf8').catch(() => null);
        if (text === null) continue;
        try {
          JSON.parse(text);
        } catch {
          torn.push(`${sub}/${folder}/${file} (${text.length} bytes)`);
        }
      }
    }
  }
  return torn;
}

/** Status files (HOME/watch/KEY.json) that do not parse. */
async function tornStatus(home: string): Promise<string[]> {
  const torn: string[] = [];
  for (const name of (await readdir(join(home, 'watch')).catch(() => [] as string[])).filter((n) => n.endsWith('.json'))) {
    const text = await readFile(join(home, 'watch', name), 'utf8');
    try {
      JSON.parse(text);
    } catch {
      torn.push(`${name} (${text.length} bytes)`);
    }
  }
  return torn;
}

/** Temp files and claim folders a watcher left, after the settle. */
async function leftovers(home: string, inbox: string): Promise<string[]> {
  const found = (await readdir(join(inbox, WORK)).catch(() => [] as string[])).map((n) => `${WORK}/${n}`);
  for (const entry of await readdir(home, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && (entry.name.endsWith('.tmp') || entry.name.endsWith('.partial') || entry.name.includes('.stale-')))
      found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

async function digests(set: WatchBundles): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const [name, file] of [...set.good, ['tampered', set.tampered] as const])
    all.set(
      name,
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex'),
    );
  return all;
}

/** Every bundle in exactly one place, whole. */
export async function checkAccounted(inbox: string, sums: Map<string, string>, when: string, bad: string[]): Promise<string[]> {
  const where: string[] = [];
  for (const [name, digest] of sums) {
    const places = await placesOf(inbox, name, digest);
    if (places.length !== 1) bad.push(`${when}: ${name} is in ${places.length === 0 ? 'no place (lost)' : places.join(' and ')}`);
    else if (places[0]?.endsWith('(altered)')) bad.push(`${when}: ${name} in ${places[0]}`);
    where.push(`${name}:${(places[0] ?? 'lost').replace(/\/.*$/u, '')}`);
  }
  return where;
}

/** `fraction` in [0, 1): after how many settled bundles, and how far into the next one's share of the drain time. */
export async function powerCutWatchTrial(fixture: Fixture, trial: number, fraction: number, attempt = 0): Promise<TrialResult> {
  const set = await bundles(fixture);
  const sums = await digests(set);
  const count = set.good.size + 1;
  const afterSettled = Math.min(count - 1, Math.floor(fraction * count));
  const ms = (fraction * count - afterSettled) * (set.drainMs / count);
  const scenario = 'power-cut-watch';
  // The inbox's bundles, the imports and a cut's leftovers side by side on the disk.
  let total = 0;
  for (const file of [...set.good.values(), set.tampered]) total += (await stat(file)).size;
  const sizeMiB = Math.max(160, Math.ceil((3 * total) / 2 ** 20) + 96);
  return onCutDisk(
    fixture,
    `${scenario}-${trial}${attempt ? `-r${attempt}` : ''}`,
    async (disk, snapshot) => {
      const bad: string[] = [];
      const notes: string[] = [];
      const { home, inbox, dest } = await fillPlace(fixture, set, disk.mountPoint);
      sh('sync', ['--file-system', disk.mountPoint]);
      const watcher = spawnCuttable(home, ['watch', inbox, '--dest', dest, '--settle', '0', '--rescan', '0.2']);
      let over = false;
      const ended = new Promise<void>((resolve) => watcher.child.on('exit', () => resolve()));
      void ended.then(() => (over = true));
      let settledAtCut = -1;
      try {
        await waitUntil(`${afterSettled} bundle(s) settled`, async () => over || (await settled(inbox)) >= afterSettled, 300_000);
        await new Promise((resolve) => setTimeout(resolve, ms));
        if (!over) {
          await freezeAndCopy([{ disk, snapshot }], watcher.child.pid);
          // Counted on the live disk with the watcher frozen: what it had done when the power went.
          settledAtCut = await settled(inbox);
        }
      } finally {
        if (settledAtCut < 0) await freezeAndCopy([{ disk, snapshot }], watcher.child.pid);
        await ended;
        await mountSnapshot(disk, snapshot, watcher.child.pid);
      }
      if (over && settledAtCut < 0) bad.push(`the watcher ended by itself before the cut: ${watcher.stderr().slice(0, 300)}`);
      // A watcher never ends by itself: a cut after the last bundle settled hit an idle watcher, not its work.
      const covered = settledAtCut >= 0 && settledAtCut < count;
      // Before any command: nothing partial at a final name, every bundle in one place.
      for (const name of [...set.good.keys(), 'tampered']) {
        const state = await importState(fixture, join(dest, name));
        if (state !== 'absent' && state !== 'complete' && state !== 'placeholder') bad.push(`after the cut ${name} in DEST: ${state}`);
      }
      for (const torn of await tornReports(inbox)) bad.push(`after the cut ${torn} does not parse`);
      // Written durably since faults9b (status-file.ts: temp, fsync, rename, folder fsync): a torn one is a fault now.
      for (const torn of await tornStatus(home)) bad.push(`after the cut the status file ${torn} does not parse`);
      const where = await checkAccounted(inbox, sums, 'after the cut', bad);
      const survived = (await settledNames(inbox, 'accepted')).length + (await settledNames(inbox, 'quarantine')).length;
      await drainAndCheck(fixture, set, home, inbox, dest, bad);
      await checkAccounted(inbox, sums, 'after the drain', bad);
      for (const torn of await tornStatus(home)) bad.push(`after the drain the status file ${torn} does not parse`);
      const left = await leftovers(home, inbox);
      if (left.length > 0) bad.push(`left after the drain: ${left.join(', ')}`);
      const at = `${afterSettled}+${Math.round(ms)}ms`;
      const outcome = covered
        ? `cut@${at}: ${settledAtCut} of ${count} settled, ${survived} on the disk (${where.filter((w) => !/:(accepted|quarantine)$/u.test(w)).join(' ') || 'all settled'})`
        : `idle@${at}: all ${count} settled before the cut`;
      return { scenario, trial, outcome, bad, notes, covered };
    },
    sizeMiB,
  );
}

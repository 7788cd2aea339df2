/**
 * The tar differential test at scale, outside CI: `npx tsx bench/tar-fuzz.ts [seed] [count]`
 * generates `count` archives per seed (default: 5 seeds from `seed`, 2000 archives each) with
 * test/helpers/tar-grammar.ts, reads each with GNU tar, Python's tarfile and Airlock, and prints
 * every archive Airlock accepted although two readers disagree, and every honest archive it
 * refused. Exit status 1 when there is any. The archives that fail are kept in the printed folder.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateArchives } from '../test/helpers/tar-grammar.js';
import { airlockReading, describeReading, gnuTarReading, NO_VERDICT, pythonReadings, sameReading } from '../test/helpers/tar-readers.js';

const firstSeed = Number(process.argv[2] ?? Date.now() % 1_000_000);
const count = Number(process.argv[3] ?? 2000);
const seeds = process.argv[3] ? [firstSeed] : Array.from({ length: 5 }, (_s, i) => firstSeed + i);
const work = await mkdtemp(join(tmpdir(), 'airlock-tar-fuzz-'));
const kept = join(work, 'failures');
await mkdir(kept);
let failures = 0;
let total = 0;
for (const seed of seeds) {
  const archives = generateArchives(seed, count);
  const paths = archives.map((_a, i) => join(work, `s${seed}-${i}.tar`));
  await Promise.all(archives.map((a, i) => writeFile(paths[i] as string, a.bytes)));
  const python = await pythonReadings(paths);
  for (const [i, archive] of archives.entries()) {
    const path = paths[i] as string;
    const [gnu, airlock, chunked] = await Promise.all([gnuTarReading(path), airlockReading(path), airlockReading(path, [1, 511, 513, 4096])]);
    const py = python.get(path) ?? { error: 'no Python reading' };
    total += 1;
    const accepted = !('error' in airlock);
    const hung = [airlock, chunked].some((r) => 'error' in r && r.error.startsWith(NO_VERDICT));
    const problem = hung
      ? 'no verdict (hang)'
      : accepted && (!sameReading(gnu, py) || !sameReading(gnu, airlock))
        ? 'accepted although readers disagree'
        : archive.honest && !accepted
          ? 'refused an honest archive'
          : !sameReading(airlock, chunked)
            ? 'reading depends on chunking'
            : null;
    if (!problem) continue;
    failures += 1;
    await copyFile(path, join(kept, `s${seed}-${i}.tar`));
    process.stdout.write(
      `${problem}: seed ${seed} ${archive.label}\n  GNU tar: ${describeReading(gnu)}\n  Python:  ${describeReading(py)}\n  Airlock: ${describeReading(airlock)}\n`,
    );
  }
  await Promise.all(paths.map((p) => rm(p, { force: true })));
  process.stderr.write(`seed ${seed}: ${count} archives, ${failures} failures so far\n`);
}
process.stdout.write(`${total} archives, ${failures} failures${failures > 0 ? `; kept in ${kept}` : ''}\n`);
if (failures === 0) await rm(work, { recursive: true, force: true });
process.exit(failures > 0 ? 1 : 0);

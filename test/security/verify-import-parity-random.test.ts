/**
 * Differential companion of verify-import-parity.test.ts: bundles with one to three hazards
 * drawn at random (seeded, so every run is the same) from duplicates, case and normalisation
 * twins, unlisted files, links, altered or missing files, directories over files, reordering
 * and tight limits. Whatever the mix, verify and import must report the same set of codes,
 * and import must leave its destination empty.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStationDb, type StationDb } from '../../electron/core/db/station-db.js';
import { importBundle } from '../../electron/core/import/import-bundle.js';
import { DEFAULT_LIMITS, type BundleLimits } from '../../electron/core/policy/limits.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import { resignedBag } from '../helpers/hostile-bag.js';
import { makeSigner, tarOf, type RawEntry, type TestSigner } from '../helpers/hostile-tar.js';
import { verifyBothWays } from '../helpers/verify-both-ways.js';
import { seededRandom } from '../helpers/seeded-random.js';

let root: string;
let signer: TestSigner;
let db: StationDb;
let tagEntries: RawEntry[];
let payloadEntries: RawEntry[];

const files = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/caf\u00e9.txt', content: 'coffee\n' },
  { path: 'data/dir/b.txt', content: 'bravo\n' },
  { path: 'data/Stra\u00dfe.txt', content: 'street\n' },
];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-parity-random-'));
  signer = await makeSigner();
  db = openStationDb(join(root, 'station.db'));
  ({ tagEntries, payloadEntries } = await resignedBag(signer, files));
});
afterAll(async () => {
  db.close();
  await rm(root, { recursive: true, force: true });
});

interface Mix {
  entries: RawEntry[];
  limits: BundleLimits;
  applied: string[];
}

type Mutation = (mix: Mix, pick: <T>(items: readonly T[]) => T, at: () => number) => string;

const insert = (mix: Mix, index: number, entry: RawEntry): void => {
  mix.entries.splice(index, 0, entry);
};
const payloadIndexes = (mix: Mix): number[] => mix.entries.flatMap((e, i) => (e.path.startsWith('bag/data/') && (e.type ?? 'File') === 'File' ? [i] : []));

const MUTATIONS: Mutation[] = [
  (mix, pick, at) => {
    const source = pick(payloadEntries);
    insert(mix, at(), { path: source.path, body: pick([source.body ?? '', 'evil\n']) });
    return `copy of ${source.path}`;
  },
  (mix, pick, at) => {
    const source = pick(payloadEntries);
    const twin = pick([source.path.toUpperCase(), source.path.normalize('NFD'), source.path.replace('\u00df', 'SS')]);
    insert(mix, at(), { path: twin, body: 'twin\n' });
    return `twin ${twin}`;
  },
  (mix, _pick, at) => {
    insert(mix, at(), { path: 'bag/data/added.txt', body: 'added\n' });
    return 'unlisted file';
  },
  (mix, pick, at) => {
    const path = pick(['bag/data/link', 'bag/data/a.txt', 'bag/data/dir']);
    insert(mix, at(), { path, type: pick(['SymbolicLink', 'Link'] as const), linkpath: '/etc/passwd' });
    return `link ${path}`;
  },
  (mix, pick) => {
    const index = pick(payloadIndexes(mix));
    if (index === undefined) return 'nothing to alter';
    const entry = mix.entries[index] as RawEntry;
    mix.entries[index] = { ...entry, body: 'altered\n' };
    return `altered ${entry.path}`;
  },
  (mix, pick) => {
    const index = pick(payloadIndexes(mix));
    if (index === undefined) return 'nothing to drop';
    const [dropped] = mix.entries.splice(index, 1);
    return `dropped ${dropped?.path}`;
  },
  (mix, _pick, at) => {
    insert(mix, at(), { path: 'bag/data/a.txt/', type: 'Directory' });
    return 'directory over a file';
  },
  (mix, pick) => {
    mix.limits = { ...mix.limits, maxFileBytes: pick([6, 7]) };
    return `maxFileBytes ${mix.limits.maxFileBytes}`;
  },
  (mix, pick) => {
    const indexes = payloadIndexes(mix);
    const a = pick(indexes);
    const b = pick(indexes);
    if (a === undefined || b === undefined) return 'nothing to swap';
    [mix.entries[a], mix.entries[b]] = [mix.entries[b] as RawEntry, mix.entries[a] as RawEntry];
    return 'payload reordered';
  },
];

function mixFor(seed: number): Mix {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const mix: Mix = { entries: [...payloadEntries], limits: DEFAULT_LIMITS, applied: [] };
  // Positions inside the payload part (the tag files stay first, as the format puts them).
  const at = (): number => Math.floor(random() * (mix.entries.length + 1));
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i += 1) mix.applied.push(pick(MUTATIONS)(mix, pick, at));
  return mix;
}

async function codesOf(problems: Array<{ code: string }>): Promise<string[]> {
  return [...new Set(problems.map((p) => p.code))].sort();
}

describe('random hazard mixes: verify and import report the same codes', () => {
  it.each(Array.from({ length: 60 }, (_, i) => [1000 + i]))('seed %i', async (seed) => {
    const mix = mixFor(seed);
    const bundlePath = join(root, `s${seed}.airlock.tar`);
    await writeFile(bundlePath, tarOf([...tagEntries, ...mix.entries]));
    const verified = await verifyBothWays({
      bundlePath,
      trusted: [signer.trusted],
      limits: mix.limits,
      requiredSigners: DEFAULT_POLICY.requiredSigners,
      clockSkewSeconds: DEFAULT_POLICY.clockSkewSeconds,
      reportNames: DEFAULT_POLICY.names,
    });
    const dest = join(root, `d${seed}`);
    await mkdir(dest);
    const imported = await importBundle({
      bundlePath,
      destDir: dest,
      trusted: [signer.trusted],
      policy: { ...DEFAULT_POLICY, limits: mix.limits },
      db,
      operator: 'tester',
      allowReplay: true,
    });
    const outcome = {
      applied: mix.applied,
      verify: { ok: verified.ok, codes: await codesOf(verified.problems) },
      import: { ok: imported.ok, codes: await codesOf(imported.problems) },
    };
    expect(outcome.import).toEqual(outcome.verify);
    if (!imported.ok) expect(await readdir(dest)).toEqual([]);
    else await rm(join(dest, 'bag'), { recursive: true });
  });
});

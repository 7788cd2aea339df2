/**
 * The inbox section (`npm run bench -- --only inbox`, issue #17): 1,000 small bundles and 4 large
 * ones dropped into the inbox of a running `airlock watch`; throughput and latency from arrival
 * (the `.done` marker written) to committed (the outcome recorded after the import's commit),
 * against a loop of `airlock import` calls over a sample of the same small bundles in the same
 * run. Target: the watcher takes small bundles at >= 3x the loop's rate (one process keeps its
 * keys, database and workers warm).
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { allPass, binarySize, MB, ratio, ratioTable, table, type Ratio } from './format.js';
import { makeInboxBundles, receivingHome } from './inbox-setup.js';
import { runChecked, startService } from './proc.js';
import { airlockAt, type Stations } from './stations.js';

export interface InboxBenchOptions {
  root: string;
  stations: Stations;
  small: number;
  large: number;
  largeBytes: number;
  /** How many of the small bundles the `airlock import` loop takes (its rate is per bundle). */
  loopSample: number;
  log: (message: string) => void;
}

interface Latency {
  p50: number;
  p95: number;
  max: number;
}

export interface InboxBenchReport {
  small: { bundles: number; seconds: number; perSecond: number; latency: Latency };
  loop: { bundles: number; seconds: number; perSecond: number };
  large: { bundles: number; bytesEach: number; seconds: number; mbPerSecond: number; latency: Latency } | null;
  ratios: Ratio[];
  allTargetsPass: boolean;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function latency(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0 };
}

/** Drop bundles into the inbox (rename from the same file system, then the marker); returns each arrival time. */
async function drop(inbox: string, files: readonly string[], staging: string): Promise<Map<string, number>> {
  const arrived = new Map<string, number>();
  for (const file of files) {
    const name = basename(file);
    await rename(join(staging, name), join(inbox, name));
    await writeFile(join(inbox, `${name}.done`), '');
    arrived.set(name.replace(/\.airlock\.tar$/u, ''), Date.now());
  }
  return arrived;
}

/** Wait until every dropped bundle is in accepted/ (or quarantine/, which fails the bench); finishedAt of each. */
async function finished(inbox: string, names: ReadonlySet<string>): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  for (;;) {
    for (const sub of ['accepted', 'quarantine']) {
      for (const folder of await readdir(join(inbox, sub)).catch(() => [] as string[])) {
        const name = folder.slice(0, folder.indexOf('.c-'));
        if (!names.has(name) || done.has(name)) continue;
        const outcome = JSON.parse(await readFile(join(inbox, sub, folder, 'outcome.json'), 'utf8')) as { outcome: string; finishedAt: string };
        if (outcome.outcome !== 'accepted') throw new Error(`${name} ended ${outcome.outcome} in the inbox bench`);
        done.set(name, Date.parse(outcome.finishedAt));
      }
    }
    if (done.size === names.size) return done;
    await pause(200);
  }
}

export async function runInboxBench(options: InboxBenchOptions): Promise<InboxBenchReport> {
  const { root, stations, log } = options;
  log(`  making ${options.small} small and ${options.large} large bundles (${binarySize(options.largeBytes)} each) ...`);
  const made = await makeInboxBundles(root, stations, { small: options.small, large: options.large, largeBytes: options.largeBytes }, log);
  const staging = join(root, 'inbox-bundles');

  log(`  airlock import loop over ${options.loopSample} of the small bundles ...`);
  const loopHome = await receivingHome(root, stations, 'inbox-loop-home');
  const loopDest = join(root, 'inbox-loop-dest');
  await mkdir(loopDest);
  const sample = made.small.slice(0, options.loopSample);
  const loopStart = performance.now();
  for (const bundle of sample) await runChecked(airlockAt(loopHome, ['import', bundle, '--dest', loopDest]));
  const loopSeconds = (performance.now() - loopStart) / 1000;

  log('  airlock watch: dropping the small bundles ...');
  const home = await receivingHome(root, stations, 'inbox-watch-home');
  const inbox = join(root, 'inbox');
  const dest = join(root, 'inbox-dest');
  await mkdir(inbox);
  const watcher = startService(airlockAt(home, ['watch', inbox, '--dest', dest, '--settle', '600', '--rescan', '0.1']));
  try {
    while (!(await readdir(join(home, 'watch')).catch(() => [] as string[])).some((n) => n.endsWith('.json'))) await pause(100);
    const start = Date.now();
    const arrived = await drop(inbox, made.small, staging);
    const done = await finished(inbox, new Set(arrived.keys()));
    const smallSeconds = (Math.max(...done.values()) - start) / 1000;
    const small = {
      bundles: done.size,
      seconds: smallSeconds,
      perSecond: done.size / smallSeconds,
      latency: latency([...done].map(([n, t]) => (t - arrived.get(n)!) / 1000)),
    };

    let large: InboxBenchReport['large'] = null;
    if (made.large.length > 0) {
      log('  airlock watch: dropping the large bundles ...');
      const startLarge = Date.now();
      const arrivedLarge = await drop(inbox, made.large, staging);
      const doneLarge = await finished(inbox, new Set(arrivedLarge.keys()));
      const seconds = (Math.max(...doneLarge.values()) - startLarge) / 1000;
      large = {
        bundles: doneLarge.size,
        bytesEach: options.largeBytes,
        seconds,
        mbPerSecond: (doneLarge.size * options.largeBytes) / MB / seconds,
        latency: latency([...doneLarge].map(([n, t]) => (t - arrivedLarge.get(n)!) / 1000)),
      };
    }
    const loop = { bundles: sample.length, seconds: loopSeconds, perSecond: sample.length / loopSeconds };
    const ratios = [ratio('inbox-small', 'watch vs import loop, small bundles/s', small.perSecond / loop.perSecond, { op: '>=', limit: 3 })];
    return { small, loop, large, ratios, allTargetsPass: allPass(ratios) };
  } finally {
    await watcher.stop();
  }
}

export function renderInboxText(report: InboxBenchReport): string {
  const f = (n: number, d = 2): string => n.toFixed(d);
  const rows = [
    [
      'watch, small',
      String(report.small.bundles),
      f(report.small.seconds),
      `${f(report.small.perSecond, 1)} bundles/s`,
      f(report.small.latency.p50),
      f(report.small.latency.p95),
      f(report.small.latency.max),
    ],
    ['import loop, small', String(report.loop.bundles), f(report.loop.seconds), `${f(report.loop.perSecond, 1)} bundles/s`, '', '', ''],
  ];
  if (report.large)
    rows.push([
      `watch, large (${binarySize(report.large.bytesEach)})`,
      String(report.large.bundles),
      f(report.large.seconds),
      `${f(report.large.mbPerSecond, 0)} MB/s`,
      f(report.large.latency.p50),
      f(report.large.latency.p95),
      f(report.large.latency.max),
    ]);
  return [
    'Unattended inbox (airlock watch; latency from arrival to committed, seconds)',
    table(['', 'bundles', 'seconds', 'rate', 'p50', 'p95', 'max'], rows, [false, true, true, true, true, true, true]),
    '',
    ratioTable(report.ratios, 'target', () => 2),
  ].join('\n');
}

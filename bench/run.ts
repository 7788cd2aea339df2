/**
 * `npm run bench`: Airlock's export, verify and import against the standard tools doing the
 * same job, on generated data, and its audit log at scale, with the project's performance
 * targets as PASS/MISS, ending with one table of every issue #18 target (bench/summary.ts).
 * Everything lives in one temp dir under --tmp (default the OS temp dir) that is removed at the
 * end, also after a failure or Ctrl-C; TMPDIR points into it for every command measured, so the
 * tools' own temp files land on the file system under test too. Progress goes to stderr so
 * `--json` leaves stdout to the one JSON object.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runAuditBench } from './audit-bench.js';
import { buildAuditReport, type AuditReport } from './audit-report.js';
import { generateLarge, generateSmall, type DataSet } from './data.js';
import { describeMachine } from './machine.js';
import { parseOptions, USAGE, UsageError, type BenchOptions, type DataSetName } from './options.js';
import { runChecked, stopAll } from './proc.js';
import { binarySize } from './format.js';
import { buildReport, buildSetReport, renderText, type SetReport } from './report.js';
import { setUpStations, tearDownStations, type Stations } from './stations.js';
import { runSuite } from './suite.js';
import { renderMediaText, runMediaBench } from './media.js';
import { renderManyFilesText, runManyFilesBench, type ManyFilesRun } from './many-files.js';
import { renderImagesText, runImagesBench, type ImagesBenchReport } from './images.js';
import { renderInspectText, runInspectBench, type InspectBenchReport } from './inspect.js';
import { renderInboxText, runInboxBench, type InboxBenchReport } from './inbox.js';
import { renderForwardText, runForwardBench, type ForwardBenchReport } from './forward.js';
import { renderHugeImportText, runHugeImportBench, type HugeImportRun } from './huge-import.js';
import { runStartupBench, type StartupRun } from './startup.js';
import { buildSummary, renderSummaryText, summaryPasses } from './summary.js';

const log = (message: string) => process.stderr.write(`${message}\n`);

let options: BenchOptions | null;
try {
  options = parseOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  log(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options === null) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const opts = options;

const root = await mkdtemp(join(opts.tmp, 'airlock-bench-'));
// Children inherit it: airlock's own temp files (and gpg's, sort's ...) go under root as well.
process.env.TMPDIR = join(root, 'tmp');
await mkdir(process.env.TMPDIR);
let cleaning: Promise<void> | null = null;
let interrupted = false;
/** Idempotent: the signal handler and the normal path may both get here. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await stopAll(); // nothing may still be writing into root when it is removed
    await tearDownStations(join(root, 'gnupg'));
    await rm(root, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`\n${signal}: stopping and removing ${root} ...`);
    void cleanUp().finally(() => process.exit(code));
  });
}

async function generate(name: DataSetName, base: string): Promise<DataSet> {
  return name === 'large' ? generateLarge(base, name, opts.largeBytes, opts.largeFiles) : generateSmall(base, name, opts.smallFiles, opts.smallSize);
}

try {
  log(`bench dir ${root}`);
  // Measure what operators run: the bundled CLI `npx airlock` uses once npm install built it.
  await runChecked({ argv: [process.execPath, join(import.meta.dirname, '..', 'scripts', 'build-cli.mjs')] });
  const machine = await describeMachine(root);
  const sets: SetReport[] = [];
  // One throwaway Airlock home and GNUPGHOME (root/gnupg, which cleanUp tears down) for every section that needs them.
  let stations: Stations | null = null;
  const stationsOnce = async (): Promise<Stations> => {
    if (!stations) log('setting up throwaway Airlock home and GNUPGHOME ...');
    stations ??= await setUpStations(root);
    return stations;
  };
  if (opts.sets.length > 0) {
    const stations = await stationsOnce();
    for (const name of opts.sets) {
      const base = join(root, 'data');
      log(`generating the ${name} set ...`);
      const set = await generate(name, base);
      log(`  ${String(set.files)} files, ${binarySize(set.bytes)}`);
      // Written data is still dirty in the page cache; flush it now so its writeback cannot land inside a timed step.
      await runChecked({ argv: ['sync', '-f', root] });
      log(`measuring the ${name} set:`);
      const result = await runSuite(set, { root, stations, log });
      sets.push(buildSetReport(name, set.files, set.bytes, result));
      await rm(base, { recursive: true, force: true }); // one data set on disk at a time
    }
  }
  let audit: AuditReport | null = null;
  if (opts.audit) {
    log('measuring the audit log:');
    audit = buildAuditReport(await runAuditBench({ root, events: opts.auditEvents, log }));
  }
  const media = opts.media ? await runMediaBench({ root, bytes: opts.mediaBytes, fat32Big: opts.fat32Big, log }) : null;
  let many: ManyFilesRun[] | null = null;
  if (opts.many) {
    log('measuring bundles of many empty files:');
    many = await runManyFilesBench({ root, stations: await stationsOnce(), counts: opts.manyFiles, log });
  }
  let images: ImagesBenchReport | null = null;
  if (opts.images) {
    log('measuring container images:');
    images = await runImagesBench({ root, stations: await stationsOnce(), bytes: opts.imageBytes, log });
  }
  let inspect: InspectBenchReport | null = null;
  if (opts.inspect) {
    log('measuring content inspection with clamd:');
    inspect = await runInspectBench({
      root,
      stations: await stationsOnce(),
      large: { bytes: opts.largeBytes, files: opts.largeFiles },
      small: { files: opts.smallFiles, size: opts.smallSize },
      log,
    });
  }
  let inbox: InboxBenchReport | null = null;
  if (opts.inbox) {
    log('measuring the unattended inbox (airlock watch):');
    const stationsNow = await stationsOnce();
    inbox = await runInboxBench({
      root,
      stations: stationsNow,
      small: opts.inboxSmall,
      large: opts.inboxLarge,
      largeBytes: opts.inboxLargeBytes,
      loopSample: Math.min(opts.inboxLoop, opts.inboxSmall),
      log,
    });
  }
  let forward: ForwardBenchReport | null = null;
  if (opts.forward) {
    log('measuring audit forwarding to rsyslog over TLS:');
    forward = await runForwardBench({ root, events: opts.forwardEvents, log });
  }
  let startup: StartupRun | null = null;
  if (opts.startup) {
    log('measuring CLI start-up:');
    startup = await runStartupBench({ root, stations: await stationsOnce(), log });
  }
  let huge: HugeImportRun | null = null;
  if (opts.huge) {
    log(`measuring the import of one ${binarySize(opts.hugeBytes)} file:`);
    huge = await runHugeImportBench({ root, stations: await stationsOnce(), bytes: opts.hugeBytes, log });
  }
  const report = buildReport(machine, opts, sets, audit);
  const summary = buildSummary({ options: opts, sets, audit, media, many, startup, huge });
  report.allTargetsPass &&= summaryPasses(summary);
  // A section that ran and missed a target (or could not measure one) makes the whole run MISS.
  if (images && !images.skipped) report.allTargetsPass &&= images.allTargetsPass;
  if (inspect) report.allTargetsPass &&= inspect.allTargetsPass;
  if (inbox) report.allTargetsPass &&= inbox.allTargetsPass;
  if (forward) report.allTargetsPass &&= forward.allTargetsPass;
  const extra = {
    media: media ?? undefined,
    manyFiles: many ?? undefined,
    images: images ?? undefined,
    inspect: inspect ?? undefined,
    inbox: inbox ?? undefined,
    forward: forward ?? undefined,
    startup: startup ?? undefined,
    huge: huge ?? undefined,
    summary,
  };
  const sections = [
    renderText(report, opts.commands),
    media ? renderMediaText(media) : null,
    many ? renderManyFilesText(many) : null,
    images ? renderImagesText(images, opts.commands) : null,
    inspect ? renderInspectText(inspect, opts.commands) : null,
    inbox ? renderInboxText(inbox) : null,
    forward ? renderForwardText(forward) : null,
    huge ? renderHugeImportText(huge) : null,
    // Last: the one table of every #18 target.
    renderSummaryText(summary),
    `All targets: ${report.allTargetsPass ? 'PASS' : 'MISS'}`,
  ];
  process.stdout.write(opts.json ? `${JSON.stringify({ ...report, ...extra }, null, 2)}\n` : `${sections.filter((s) => s !== null).join('\n\n')}\n`);
} catch (error) {
  // After Ctrl-C the steps fail because we stopped them; that is not worth a second message.
  if (!interrupted) log(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}

/**
 * Runs one export (to a folder or a medium; prepared, finished), verify, import, medium verification, quarantine release, feed import, heartbeat or audit check off the main thread (docs/design.md §4). The job arrives as
 * workerData; a `cancel` message aborts it through its AbortSignal, and core guarantees a
 * cancelled job leaves nothing half-written. Exactly one `done` or `failed` message ends it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../shared/errors.js';
import type { HostToWorker, JobStart, WorkerToHost } from '../../shared/job-protocol.js';
import { stagedSummaryView } from '../../shared/ipc/two-person.js';
import type { ProgressListener } from '../../shared/progress.js';
import { AirlockError, Station, toAirlockError } from '../core/index.js';

if (!parentPort) throw new Error('job-worker runs only as a worker thread');
const port = parentPort;
const job = workerData as JobStart;
const controller = new AbortController();

const post = (message: WorkerToHost): void => port.postMessage(message);

port.on('message', (message: HostToWorker) => {
  if (message.type === 'cancel') controller.abort();
});

async function run(station: Station, onProgress: ProgressListener): Promise<unknown> {
  const { signal } = controller;
  switch (job.kind) {
    case 'export': {
      // Images and charts go to a folder and to a medium alike: named one by one, so neither drops one unseen.
      const { destination, images, imagesFrom, platforms, charts, skipBlobsIn, ...files } = job.request;
      const sources = { images, imagesFrom, platforms, charts, skipBlobsIn };
      if (destination.kind === 'folder') return station.exportBundle({ ...files, ...sources, outDir: destination.path, signal, onProgress });
      return station.exportToMedia({ ...files, ...sources, media: [destination.mediumId], signal, onProgress });
    }
    case 'verify':
      return station.verifyBundle({ ...job.request, signal, onProgress });
    case 'import':
      return station.importBundle({ ...job.request, signal, onProgress });
    case 'verify-medium':
      return station.verifyMedia({ target: job.request.mediumId, passphrase: job.request.passphrase, signal, onProgress });
    case 'quarantine-release': {
      const { id, destDir, reason, signer } = job.request;
      return station.quarantineRelease({ id, destDir, reason, signer, signal, onProgress });
    }
    case 'feed-import':
      return station.importFeed({ ...job.request, signal, onProgress });
    case 'heartbeat':
      return station.sendHeartbeat({ ...job.request, signal, onProgress });
    // Two-person exports: the same station functions `export --prepare` and `export --finish` call.
    case 'export-prepare':
      return stagedSummaryView(await station.prepareExport({ ...job.request, signal, onProgress }));
    case 'export-finish': {
      const { stagedDir, outDir, mediumIds, passphrase } = job.request;
      // Onto media: written, split over them when it must be, indexed and read back as an export to media is (core's media-target.ts).
      if (mediumIds !== undefined) return station.finishExportToMedia({ stagedDir, media: mediumIds, passphrase, signal, onProgress });
      if (outDir === undefined) throw new AirlockError('USAGE', 'A finish writes to a folder or onto a medium: neither was named.');
      return station.finishExport({ stagedDir, outDir, passphrase, signal, onProgress });
    }
    case 'audit-verify':
      return station.verifyAudit({ signal, onProgress });
  }
}

// No top-level await: electron-vite may bundle this entry as CommonJS.
async function main(): Promise<void> {
  let station: Station | null = null;
  try {
    // A release decision is recorded under the name of the operator who takes it (the CLI's --operator).
    const operator = job.kind === 'quarantine-release' ? (job.request.operator ?? job.station.operator) : job.station.operator;
    station = await Station.open({ ...job.station, operator });
    const result = await run(station, (progress) => post({ type: 'progress', progress }));
    post({ type: 'done', result });
  } catch (thrown) {
    const error = toAirlockError(thrown);
    if (error.code === 'INTERNAL') {
      // The details (and stack) go to the log; the operator gets the code's message only.
      console.error(`Airlock ${job.kind} job failed unexpectedly:`, thrown);
      post({ type: 'failed', error: { code: 'INTERNAL', message: errorMessage('INTERNAL') } });
    } else {
      post({ type: 'failed', error: error.toInfo() });
    }
  } finally {
    station?.close();
    // The message listener would keep the thread alive; the job is over.
    port.close();
  }
}

void main();

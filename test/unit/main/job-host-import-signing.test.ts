/**
 * The app's import signs when given the passphrase (issue #19), under plain Node with a real worker
 * thread and the real core: the passphrase reaches core through the job worker, the receipt set
 * is signed (.json.asc, .pdf.asc); a wrong one fails with PASSPHRASE_WRONG before anything is
 * written to the destination, its error carrying nothing of what was typed; none leaves it unsigned.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../../electron/core/index.js';
import { JobHost } from '../../../electron/main/jobs/job-host.js';

const WORKER = new URL('../../helpers/job-worker-tsx.mjs', import.meta.url);
const PASSPHRASE = 'receiving station passphrase';
const WRONG = 'a-wrong-passphrase-typed';

let base: string;
let home: string;
let bundlePath: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-jobhost-sign-'));
  home = join(base, 'home');
  const source = join(base, 'source');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'alpha\n');
  const station = await Station.open({ home });
  try {
    await station.generateKey({ name: 'Import Signing Test', passphrase: PASSPHRASE });
    const out = join(base, 'out');
    await mkdir(out);
    bundlePath = (await station.exportBundle({ selection: [source], outDir: out, passphrase: PASSPHRASE })).bundlePath;
  } finally {
    station.close();
  }
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const newHost = () => new JobHost({ workerScript: WORKER, station: { home } });

describe('JobHost import signing', () => {
  it('refuses a wrong passphrase before anything is imported, without echoing it', async () => {
    const host = newHost();
    const dest = await mkdtemp(join(base, 'dest-'));
    const job = await host.whenFinished(host.start('import', { bundlePath, destDir: dest, passphrase: WRONG }));
    expect(job.state).toBe('failed');
    expect(job.error).toEqual({ code: 'PASSPHRASE_WRONG', message: 'The passphrase does not unlock the station key.' });
    expect(JSON.stringify(job)).not.toContain(WRONG);
    expect(await readdir(dest)).toEqual([]);
  });

  it('signs the receipt set with the passphrase given', async () => {
    const host = newHost();
    const dest = await mkdtemp(join(base, 'dest-'));
    const job = await host.whenFinished(host.start('import', { bundlePath, destDir: dest, passphrase: PASSPHRASE }));
    if (job.kind !== 'import' || !job.result) throw new Error(`no import result: ${JSON.stringify(job.error)}`);
    expect(job.result.ok).toBe(true);
    const receipt = job.result.receipt;
    expect(receipt?.signature).toBe(`${receipt?.json}.asc`);
    expect(receipt?.pdfSignature).toBe(`${receipt?.pdf}.asc`);
    for (const file of [receipt!.signature!, receipt!.pdfSignature!]) expect((await stat(file)).size).toBeGreaterThan(0);
    expect(job.result.warnings.join('\n')).not.toContain('unsigned');
    expect(JSON.stringify(host.list())).not.toContain(PASSPHRASE);
  });

  it('without a passphrase the receipt set is unsigned and says so', async () => {
    const host = newHost();
    const dest = await mkdtemp(join(base, 'dest-'));
    const job = await host.whenFinished(host.start('import', { bundlePath, destDir: dest, allowReplay: true }));
    if (job.kind !== 'import' || !job.result) throw new Error(`no import result: ${JSON.stringify(job.error)}`);
    expect(job.result.ok).toBe(true);
    expect(job.result.receipt?.signature).toBeNull();
    expect(job.result.receipt?.pdfSignature ?? null).toBeNull();
    expect(job.result.warnings.join('\n')).toContain('unsigned');
  });
});

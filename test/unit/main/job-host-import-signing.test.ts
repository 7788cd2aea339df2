/**
 * The app's import signs when given the passphrase (issue #19), under plain Node with a real worker
 * thread and the real core: the passphrase reaches core through the job worker, the receipt set
 * is signed (.json.asc, .pdf.asc); a wrong one fails with PASSPHRASE_WRONG before anything is
 * written to the destination, its error carrying nothing of what was typed; none leaves it unsigned.
 * The app's other import path, a quarantine release, signs its receipt with the releasing
 * operator's key (here the station's passphrase) and leaves it unsigned with none.
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

/** A new bundle this station's inspection refuses for its type (no scanner needed), imported and so kept in quarantine. */
async function quarantined(): Promise<string> {
  await writeFile(join(home, 'policy.json'), JSON.stringify({ inspect: { types: { denyExtensions: ['exe'] } } }));
  const tools = await mkdtemp(join(base, 'tools-'));
  await writeFile(join(tools, 'setup.exe'), 'MZ pretend installer\n');
  const station = await Station.open({ home });
  try {
    const { bundlePath: refusedPath } = await station.exportBundle({ selection: [tools], outDir: await mkdtemp(join(base, 'out-')), passphrase: PASSPHRASE });
    const refused = await station.importBundle({ bundlePath: refusedPath, destDir: await mkdtemp(join(base, 'refused-')) });
    if (!refused.quarantine) throw new Error(`not quarantined: ${JSON.stringify(refused.problems)}`);
    return refused.quarantine.id;
  } finally {
    station.close();
  }
}

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

  it.each([
    ['signs with the releasing operator’s station key', { kind: 'station', passphrase: PASSPHRASE } as const, true],
    ['stays unsigned without a key', undefined, false],
  ])('a quarantine release %s', async (_name, signer, signed) => {
    const id = await quarantined();
    const host = newHost();
    const dest = await mkdtemp(join(base, 'released-'));
    const job = await host.whenFinished(host.start('quarantine-release', { id, destDir: dest, reason: 'checked by hand: an installer we ordered', signer }));
    if (job.kind !== 'quarantine-release' || !job.result?.import) throw new Error(`no release result: ${JSON.stringify(job.error)}`);
    expect(job.result.import.ok).toBe(true);
    const receipt = job.result.import.receipt;
    expect(receipt?.signature ?? null).toBe(signed ? `${receipt?.json}.asc` : null);
    expect(receipt?.pdfSignature ?? null).toBe(signed && receipt?.pdf ? `${receipt.pdf}.asc` : null);
    if (signed) expect(receipt?.pdf).toBeTruthy();
    expect(JSON.stringify(host.list())).not.toContain(PASSPHRASE);
  });
});

/**
 * A receipt's five files go in all or nothing, even under kill -9 (issue #19.2): a child writes a
 * signed receipt and SIGKILLs itself before the journal is in place, before each of the five
 * links, and after the last one. Whatever it left, the next receipt write into that folder (or the
 * station opening its home, for home/receipts) leaves either no file of that receipt or all five,
 * consistent: the .json is the receipt, both .asc verify, the PDF carries the .json and .json.asc
 * byte for byte. No journal and no temp file stays behind. A name a user takes meanwhile is never
 * replaced: the set moves to -2 whole.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReceipt } from '../../../electron/core/audit/receipt.js';
import { openpgpSigner, type BundleSigner } from '../../../electron/core/crypto/bundle-signer.js';
import { recoverInterruptedSets } from '../../../electron/core/fs/numbered-publish.js';
import { ensureHome, sweepHomeTemps } from '../../../electron/core/home/station-home.js';
import { mkdir } from 'node:fs/promises';
import { createMessage, readKey, readSignature, verify } from 'openpgp';
import { makeSigner } from '../../helpers/hostile-tar.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { killReceipt } from './kill-receipt.js';
import { attachment } from './pdf-tools.js';

const makeTemp = useTempDirs();
const CHILD = join(import.meta.dirname, 'receipt-kill-child.ts');
const SUFFIXES = ['.html', '.json', '.json.asc', '.pdf', '.pdf.asc'];
let keyFile: string;
let signer: BundleSigner;
let publicKey: string;

beforeAll(async () => {
  const made = await makeSigner('Kill Station');
  keyFile = join(await makeTemp('airlock-rkill-key-'), 'key.asc');
  await writeFile(keyFile, made.privateKey.armor());
  signer = openpgpSigner(made.privateKey);
  publicKey = made.publicKey.armor();
});

async function verifyDetached(armoredKey: string, data: Buffer, armoredSignature: string): Promise<boolean> {
  const result = await verify({
    message: await createMessage({ binary: data }),
    signature: await readSignature({ armoredSignature }),
    verificationKeys: await readKey({ armoredKey }),
  });
  const first = result.signatures[0];
  if (!first) return false;
  try {
    await first.verified;
    return true;
  } catch {
    return false;
  }
}

/** Runs the child to its kill point; true when it died by SIGKILL (it must: the points are on its path). */
function runChild(point: string, dir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, point, dir, keyFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL' && stderr !== '') console.error(stderr);
      resolve(signal === 'SIGKILL');
    });
  });
}

async function receiptFiles(dir: string, stem: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith(`${stem}.`) && !f.startsWith('.')).sort();
}

/** The five files are there and agree with each other. */
async function expectWholeSet(dir: string, stem: string): Promise<void> {
  expect(await receiptFiles(dir, stem)).toEqual(SUFFIXES.map((s) => `${stem}${s}`).sort());
  const json = await readFile(join(dir, `${stem}.json`));
  expect(JSON.parse(json.toString('utf8'))).toEqual(killReceipt);
  const jsonAsc = await readFile(join(dir, `${stem}.json.asc`), 'utf8');
  expect(await verifyDetached(publicKey, json, jsonAsc)).toBe(true);
  const pdf = await readFile(join(dir, `${stem}.pdf`));
  expect(await verifyDetached(publicKey, pdf, await readFile(join(dir, `${stem}.pdf.asc`), 'utf8'))).toBe(true);
  expect(attachment(join(dir, `${stem}.pdf`), 'killed.import-receipt.json').equals(json)).toBe(true);
  expect(attachment(join(dir, `${stem}.pdf`), 'killed.import-receipt.json.asc').toString('utf8')).toBe(jsonAsc);
}

/**
 * Each case starts a TypeScript child (tsx) that forks its own PDF renderer, then renders another
 * receipt: on a loaded two-core machine that took over a minute.
 */
const KILL_TEST_MS = 300_000;

describe('receipt set under kill -9', () => {
  for (const point of ['journal', 'link-1', 'link-2', 'link-3', 'link-4', 'link-5', 'after-links']) {
    it(
      `killed ${point === 'journal' ? 'before the journal is in place' : point === 'after-links' ? 'after the last link' : `before member ${point.slice(5)} is linked`}: the next receipt write leaves none or all five`,
      async () => {
        const dir = await makeTemp('airlock-rkill-');
        expect(await runChild(point, dir)).toBe(true);
        const left = await receiptFiles(dir, 'killed.import-receipt');
        // The kill landed where it should: between two links there is half a set before recovery.
        if (point.startsWith('link-')) expect(left).toHaveLength(Number(point.slice(5)) - 1);
        if (point === 'after-links') expect(left).toHaveLength(5);
        // The next receipt into the same folder finishes it first.
        await writeReceipt(dir, { ...killReceipt, bundle: { ...killReceipt.bundle, name: 'next' } }, signer);
        if (point === 'journal') expect(await receiptFiles(dir, 'killed.import-receipt')).toEqual([]);
        else await expectWholeSet(dir, 'killed.import-receipt');
        const hidden = (await readdir(dir)).filter((f) => f.startsWith('.'));
        expect(hidden).toEqual([]);
      },
      KILL_TEST_MS,
    );
  }

  it(
    "the station home's receipts folder (media exports, imports without --dest) is finished when the home opens",
    async () => {
      const paths = await ensureHome(join(await makeTemp('airlock-rkill-home-'), 'home'));
      const receipts = join(paths.root, 'receipts');
      await mkdir(receipts, { recursive: true });
      expect(await runChild('link-2', receipts)).toBe(true);
      expect(await receiptFiles(receipts, 'killed.import-receipt')).toHaveLength(1);
      await sweepHomeTemps(paths);
      await expectWholeSet(receipts, 'killed.import-receipt');
      expect((await readdir(receipts)).filter((f) => f.startsWith('.'))).toEqual([]);
    },
    KILL_TEST_MS,
  );

  it(
    'a name a user took after the kill is never replaced: the whole set moves to -2',
    async () => {
      const dir = await makeTemp('airlock-rkill-');
      expect(await runChild('link-3', dir)).toBe(true);
      await writeFile(join(dir, 'killed.import-receipt.pdf'), 'the user’s own pdf');
      expect(await recoverInterruptedSets(dir)).toEqual([join(dir, 'killed.import-receipt-2')]);
      expect(await readFile(join(dir, 'killed.import-receipt.pdf'), 'utf8')).toBe('the user’s own pdf');
      expect(await receiptFiles(dir, 'killed.import-receipt')).toEqual(['killed.import-receipt.pdf']);
      await expectWholeSet(dir, 'killed.import-receipt-2');
      expect((await readdir(dir)).filter((f) => f.includes('set-journal'))).toEqual([]);
    },
    KILL_TEST_MS,
  );

  it('a journal whose writer may still be running is left alone', async () => {
    const dir = await makeTemp('airlock-rkill-');
    // A journal stamped with this very process: alive, so not finished and not removed.
    const { writeSetJournal } = await import('../../../electron/core/fs/set-journal.js');
    const path = await writeSetJournal({
      base: join(dir, 'x.import-receipt'),
      first: join(dir, 'x.import-receipt'),
      reserved: [],
      members: [{ suffix: '.json', mode: 0o644, data: Buffer.from('{}'), ino: 1, dev: 1 }],
    });
    expect(await recoverInterruptedSets(dir)).toEqual([]);
    expect(await readdir(dir)).toContain(path.slice(dir.length + 1));
    expect(await readdir(dir)).not.toContain('x.import-receipt.json');
  });
});

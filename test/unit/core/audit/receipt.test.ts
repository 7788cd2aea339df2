/**
 * Receipts never replace anything: not a user's file at any of the receipt's five names
 * (.json, .json.asc, .html, .pdf, .pdf.asc), not a symlink (dangling or not), not a file that appears between
 * the check and the publish. The whole set moves to the next number instead, and the user's
 * files stay byte for byte.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeReceipt, type TransferReceipt } from '../../../../electron/core/audit/receipt.js';
import { openpgpSigner, type BundleSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { currentStamp } from '../../../../electron/core/fs/process-owner.js';
import { makeSigner } from '../../../helpers/hostile-tar.js';
import { snapshotTree } from '../../../helpers/tree-snapshot.js';

const race = vi.hoisted(() => ({ blindOnce: new Set<string>() }));
vi.mock('../../../../electron/core/fs/publish.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../electron/core/fs/publish.js')>();
  // Simulates a name taken just after the check: the check says free once, the publish meets it.
  return { ...real, nameTaken: async (path: string) => (race.blindOnce.delete(path) ? false : real.nameTaken(path)) };
});

let root: string;
let dir: string;
let signer: BundleSigner;
let n = 0;

const receipt: TransferReceipt = {
  receipt: 'airlock-transfer-receipt',
  version: 1,
  kind: 'import',
  bundle: { name: 'drop', uuid: null, tagmanifestSha256: null, path: '/x/drop.airlock.tar' },
  signers: [],
  checks: [],
  files: 1,
  bytes: 1,
  destination: '/x/drop',
  media: null,
  operator: 'op',
  station: 'st',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:00:01Z',
  audit: { eventSeq: 1, eventHash: 'h', checkpoint: null },
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-receipt-'));
  signer = openpgpSigner((await makeSigner('Receipts')).privateKey);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  n += 1;
  dir = join(root, `d${n}`);
  await mkdir(dir);
});

async function userFiles(): Promise<Record<string, string>> {
  const snap = await snapshotTree(dir);
  return Object.fromEntries(Object.entries(snap).filter(([name]) => !name.startsWith('drop.import-receipt-2')));
}

describe('writeReceipt', () => {
  it('writes the five files under the plain name when all are free', async () => {
    const written = await writeReceipt(dir, receipt, signer);
    expect(written).toEqual({
      json: join(dir, 'drop.import-receipt.json'),
      signature: join(dir, 'drop.import-receipt.json.asc'),
      html: join(dir, 'drop.import-receipt.html'),
      pdf: join(dir, 'drop.import-receipt.pdf'),
      pdfSignature: join(dir, 'drop.import-receipt.pdf.asc'),
      pdfProblem: undefined,
    });
    expect((await readdir(dir)).sort()).toEqual([
      'drop.import-receipt.html',
      'drop.import-receipt.json',
      'drop.import-receipt.json.asc',
      'drop.import-receipt.pdf',
      'drop.import-receipt.pdf.asc',
    ]);
  });

  for (const [what, make] of [
    ['a file at .html', () => writeFile(join(dir, 'drop.import-receipt.html'), 'my page')],
    ['a file at .json.asc', () => writeFile(join(dir, 'drop.import-receipt.json.asc'), 'my signature')],
    ['a dangling symlink at .html', () => symlink('nowhere', join(dir, 'drop.import-receipt.html'))],
    [
      'a symlink to a file at .json',
      async () => {
        await writeFile(join(dir, 'target'), 't');
        await symlink('target', join(dir, 'drop.import-receipt.json'));
      },
    ],
    ['a folder at .json.asc', () => mkdir(join(dir, 'drop.import-receipt.json.asc'))],
    ['a file at .pdf', () => writeFile(join(dir, 'drop.import-receipt.pdf'), '%PDF-1.4 my own')],
    ['a file at .pdf.asc', () => writeFile(join(dir, 'drop.import-receipt.pdf.asc'), 'my pdf signature')],
    ['a dangling symlink at .pdf', () => symlink('nowhere', join(dir, 'drop.import-receipt.pdf'))],
  ] as const) {
    it(`${what}: the receipt goes to -2, the user's file stays byte for byte`, async () => {
      await make();
      const before = await snapshotTree(dir);
      const written = await writeReceipt(dir, receipt, signer);
      expect(written.json).toBe(join(dir, 'drop.import-receipt-2.json'));
      expect(written.html).toBe(join(dir, 'drop.import-receipt-2.html'));
      expect(written.pdf).toBe(join(dir, 'drop.import-receipt-2.pdf'));
      expect(await userFiles()).toEqual(before);
    });
  }

  it('an unsigned receipt does not sit beside a foreign .json.asc (it would read as its signature)', async () => {
    await writeFile(join(dir, 'drop.import-receipt.json.asc'), 'someone else');
    const written = await writeReceipt(dir, receipt, null);
    expect(written).toMatchObject({
      json: join(dir, 'drop.import-receipt-2.json'),
      signature: null,
      html: join(dir, 'drop.import-receipt-2.html'),
      pdfSignature: null,
    });
  });

  it('an unsigned receipt does not sit beside a foreign .pdf.asc either', async () => {
    await writeFile(join(dir, 'drop.import-receipt.pdf.asc'), 'someone else');
    const written = await writeReceipt(dir, receipt, null);
    expect(written).toMatchObject({ json: join(dir, 'drop.import-receipt-2.json'), pdf: join(dir, 'drop.import-receipt-2.pdf'), pdfSignature: null });
  });

  it('a name taken between the check and the publish: the set moves on, the newcomer stays, no half set or temp is left', async () => {
    await writeFile(join(dir, 'drop.import-receipt.html'), 'arrived meanwhile');
    race.blindOnce.add(join(dir, 'drop.import-receipt.html'));
    const before = await snapshotTree(dir);
    const written = await writeReceipt(dir, receipt, signer);
    expect(written.json).toBe(join(dir, 'drop.import-receipt-2.json'));
    expect(await userFiles()).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual([
      'drop.import-receipt-2.html',
      'drop.import-receipt-2.json',
      'drop.import-receipt-2.json.asc',
      'drop.import-receipt-2.pdf',
      'drop.import-receipt-2.pdf.asc',
      'drop.import-receipt.html',
    ]);
    expect(JSON.parse(await readFile(written.json, 'utf8'))).toEqual(receipt);
  });

  it("removes a killed receipt write's temp files, provably dead ones only", async () => {
    const me = currentStamp();
    const deadTemp = `.drop.import-receipt.json.al-${me.host}-${me.boot === 'ffffffff' ? 'eeeeeeee' : 'ffffffff'}-${me.pid}-1-${me.thread}-00000000.partial`;
    await writeFile(join(dir, deadTemp), '{"half');
    await writeReceipt(dir, receipt, signer);
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual(me.boot === null ? [deadTemp] : []);
  });
});

/**
 * importBundle's afterClaim (smallimp4: the receipt's annex laid out while the payload is verified):
 * called once, after the bundle is authenticated and claimed and before the payload's verdict,
 * with the signed manifest's first files in its order (the rows the audit event will list for a
 * bundle Airlock exported); not called for a bundle refused at the gate.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import type { StationDb } from '../../../../electron/core/db/station-db.js';
import { writeBundle } from '../../../../electron/core/export/write-bundle.js';
import { importBundle } from '../../../../electron/core/import/import-bundle.js';
import { DEFAULT_POLICY } from '../../../../electron/core/policy/station-policy.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';
import { nextImportTarget } from '../../../helpers/import-target.js';

let root: string;
let signer: TestSigner;
let bundlePath: string;
let db: StationDb;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-after-claim-'));
  signer = await makeSigner('Sender');
  const src = join(root, 'files');
  await mkdir(src);
  for (let i = 0; i < 12; i += 1) await writeFile(join(src, `f${String(i).padStart(2, '0')}.txt`), `file ${i}\n`);
  const out = join(root, 'out');
  await mkdir(out);
  ({ bundlePath } = await writeBundle({
    selection: [src],
    outDir: out,
    name: 'listed',
    sequence: 1,
    identity: { station: 'sender', operator: 'op', organization: null },
    signers: [openpgpSigner(signer.privateKey)],
  }));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(seen: { path: string; sha256: string }[][], sameStation = false) {
  let dest: string;
  if (sameStation) {
    dest = join(root, `again${(n += 1)}`);
    await mkdir(dest);
  } else ({ dest, db } = await nextImportTarget(root, (n += 1), db));
  return importBundle({
    bundlePath,
    destDir: dest,
    trusted: [signer.trusted],
    policy: DEFAULT_POLICY,
    db,
    operator: 'receiver',
    afterClaim: (facts) => {
      seen.push(facts.firstListed(5), facts.firstListed(100));
    },
  });
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** What the manifest lists, in its order (Airlock's export sorts by path). */
const LISTED = Array.from({ length: 12 }, (_, i) => ({ path: `data/files/f${String(i).padStart(2, '0')}.txt`, sha256: sha256(`file ${i}\n`) }));

describe('afterClaim', () => {
  it('gets the manifest first files in order, with their signed digests', async () => {
    const seen: { path: string; sha256: string }[][] = [];
    const result = await run(seen);
    expect(result.ok).toBe(true);
    expect(seen).toEqual([LISTED.slice(0, 5), LISTED]);
  });

  it('is not called for a bundle refused at the gate (imported before, no replay allowed)', async () => {
    const first: { path: string; sha256: string }[][] = [];
    expect((await run(first)).ok).toBe(true);
    const seen: { path: string; sha256: string }[][] = [];
    const again = await run(seen, true);
    expect(again.ok).toBe(false);
    expect(again.problems.map((p) => p.code)).toContain('REPLAY');
    expect(seen).toEqual([]);
  });
});

/** Reading who wrote a bundle from its first records (what export recovery matches its intent against). */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../../../../electron/core/export/write-bundle.js';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { readBundleFront } from '../../../../electron/core/recovery/bundle-front.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';

let root: string;
let signer: TestSigner;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-front-'));
  signer = await makeSigner('Front');
  await mkdir(join(root, 'src'));
  await writeFile(join(root, 'src', 'a.txt'), 'a\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readBundleFront', () => {
  it.each([
    ['a short name', 'q3'],
    ['a 100-character name (its tag file paths need the ustar prefix or a pax header)', 'n'.repeat(100)],
  ])('%s: station, sequence, UUID and tag manifest digest', async (_label, name) => {
    const written = await writeBundle({
      selection: [join(root, 'src')],
      outDir: root,
      name,
      sequence: 42,
      identity: { station: 'st-1', operator: 'op', organization: 'Org' },
      signers: [openpgpSigner(signer.privateKey)],
    });
    expect(readBundleFront(written.bundlePath)).toEqual({ station: 'st-1', sequence: 42, uuid: written.uuid, tagmanifestSha256: written.tagmanifestSha256 });
  });

  it('anything else is not a bundle of ours (null), never an error', async () => {
    await writeFile(join(root, 'junk.airlock.tar'), Buffer.alloc(4096, 7));
    expect(readBundleFront(join(root, 'junk.airlock.tar'))).toBeNull();
    expect(readBundleFront(join(root, 'missing.airlock.tar'))).toBeNull();
    await writeFile(join(root, 'empty.airlock.tar'), '');
    expect(readBundleFront(join(root, 'empty.airlock.tar'))).toBeNull();
  });
});

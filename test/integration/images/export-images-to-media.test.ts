/**
 * Images on the export to removable media (a folder declared as a medium, mediaRoots): the same
 * request flows there; the bundle is read back, verifies, and its layout carries the image with
 * its digest. A damaged source fails before the medium is written.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { airlock, mediaStation } from '../../helpers/media-cli.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { imagesFile, sha256sumPasses, unpack } from './images-helpers.js';

const makeTemp = useTempDirs();
let root: string;
let outbox: string;
let home: string;
let pass: string;
let built: BuiltLayout;

beforeAll(async () => {
  root = await makeTemp('airlock-img-media-');
  outbox = join(root, 'outbox');
  await mkdir(outbox);
  ({ home, pass } = await mediaStation(root, [outbox]));
  built = await buildTestLayout(join(root, 'layout'), defaultTestImages(32 * 1024));
});

describe('export --to-media with --image', () => {
  it('writes and reads back a bundle whose layout holds the image', async () => {
    const result = await airlock(home, [
      'export',
      '--to-media',
      outbox,
      '--name',
      'img-media',
      '--passphrase-file',
      pass,
      '--image',
      `oci:${built.dir}:tool-1.0`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('every byte matches');
    expect(result.stdout).toContain('image layout:tool-1.0');
    const verified = await airlock(home, ['verify', join(outbox, 'img-media.airlock.tar')]);
    expect(verified.code, verified.stderr).toBe(0);
    const x = await makeTemp('airlock-img-media-x-');
    const bag = unpack(join(outbox, 'img-media.airlock.tar'), x, 'img-media');
    sha256sumPasses(bag);
    const [entry] = (await imagesFile(bag)).images;
    expect(entry!.digest).toBe(built.images.find((i) => i.refName === 'tool-1.0')!.descriptor.digest);
  });

  it('a bad reference: refused before the medium is written', async () => {
    const before = await readdir(outbox);
    const result = await airlock(home, ['export', '--to-media', outbox, '--name', 'bad-media', '--passphrase-file', pass, '--image', `oci:${built.dir}:nope`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('IMAGE_NOT_FOUND');
    expect(await readdir(outbox)).toEqual(before);
  });
});

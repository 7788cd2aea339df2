import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../../../../electron/core/errors.js';
import { prepareLayout, updateLayoutIndex, withIndexEntry, writeLayoutBlob } from '../../../../../electron/core/oci/registry/layout-sink.js';
import { useTempDirs } from '../../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const NAME = 'org.opencontainers.image.ref.name';
const d = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const unreachable = (): AirlockError => new AirlockError('REGISTRY_UNREACHABLE');

describe('index.json entries', () => {
  it('replaces an entry of the same name and does not repeat an unnamed digest', () => {
    const a = { mediaType: 'm', digest: d(1), size: 1, annotations: { [NAME]: 'v1' } };
    const b = { mediaType: 'm', digest: d(2), size: 1, annotations: { [NAME]: 'v1' } };
    const r = { mediaType: 'm', digest: d(3), size: 1 };
    expect(withIndexEntry(withIndexEntry([a, r], b), r)).toEqual([b, r]);
  });

  it('keeps every entry when pulls update one layout at once', async () => {
    const dir = await tempDir();
    await prepareLayout(dir);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        updateLayoutIndex(dir, (m) => withIndexEntry(m, { mediaType: 'm', digest: d(i % 10), size: i, annotations: { [NAME]: `t${i}` } })),
      ),
    );
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: unknown[] };
    expect(index.manifests).toHaveLength(20);
    expect(await readFile(join(dir, 'oci-layout'), 'utf8')).toBe('{"imageLayoutVersion":"1.0.0"}');
  });
});

describe('writeLayoutBlob', () => {
  const body = Buffer.from('layer bytes');
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;

  it('renames only a blob whose size and digest match', async () => {
    const dir = await tempDir();
    await prepareLayout(dir);
    await writeLayoutBlob(dir, { digest, size: body.length }, Readable.from([body]), undefined, () => undefined, unreachable);
    expect(await readdir(join(dir, 'blobs', 'sha256'))).toEqual([digest.slice(7)]);
    for (const [bytes, size] of [
      [Buffer.from('layer bytez'), body.length],
      [Buffer.from('layer byte'), body.length],
      [Buffer.concat([body, Buffer.from('!')]), body.length],
    ] as const) {
      const other = await tempDir();
      await prepareLayout(other);
      await expect(writeLayoutBlob(other, { digest, size }, Readable.from([bytes]), undefined, () => undefined, unreachable)).rejects.toMatchObject({
        code: 'IMAGE_SOURCE_CORRUPT',
      });
      expect(await readdir(join(other, 'blobs', 'sha256'))).toEqual([]);
    }
  });

  it('names a failing source with the caller’s code, a failing disk with the file code', async () => {
    const dir = await tempDir();
    await prepareLayout(dir);
    const failing = new Readable({
      read(): void {
        this.destroy(new Error('socket hang up'));
      },
    });
    await expect(writeLayoutBlob(dir, { digest, size: body.length }, failing, undefined, () => undefined, unreachable)).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
    });
    const notADir = join(dir, 'file');
    await writeFile(notADir, 'x');
    await expect(writeLayoutBlob(notADir, { digest, size: body.length }, Readable.from([body]), undefined, () => undefined, unreachable)).rejects.toMatchObject(
      { code: 'NOT_A_FOLDER' },
    );
  });
});

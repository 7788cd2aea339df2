/**
 * A layer's compression from its first bytes and from its media type (oci/graph/layer-compression.ts):
 * the three signatures, zstd's skippable frame, POSIX and GNU tar headers whose checksum holds, an
 * empty tar, and what is none of them (a header with a wrong checksum, a short head).
 */
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { describe, expect, it } from 'vitest';
import { declaredCompression, formatOfHead, LAYER_HEAD_BYTES } from '../../../../electron/core/oci/graph/layer-compression.js';
import { MEDIA_TYPES } from '../../../../electron/core/oci/layout-format.js';

function tarHeader(): Buffer {
  const block = Buffer.alloc(LAYER_HEAD_BYTES);
  new Header({ path: 'layer/a.bin', mode: 0o644, size: 3, mtime: new Date(0), type: 'File' }).encode(block, 0);
  return block;
}

describe('formatOfHead', () => {
  it('gzip, zstd (frame and skippable frame), POSIX and GNU tar, an empty tar', () => {
    expect(formatOfHead(gzipSync(Buffer.from('x')).subarray(0, 10))).toBe('gzip');
    expect(formatOfHead(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00]))).toBe('zstd');
    expect(formatOfHead(Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 0, 0, 0, 0]))).toBe('zstd');
    const posix = tarHeader();
    expect(posix.toString('latin1', 257, 265)).toBe('ustar\u000000');
    expect(formatOfHead(posix)).toBe('tar');
    const gnu = Buffer.from(posix);
    gnu.write('ustar  \u0000', 257, 'latin1');
    // The checksum covers the magic: write it again for the GNU header.
    let sum = 0;
    for (let i = 0; i < LAYER_HEAD_BYTES; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (gnu[i] as number);
    gnu.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
    expect(formatOfHead(gnu)).toBe('tar');
    expect(formatOfHead(Buffer.alloc(LAYER_HEAD_BYTES))).toBe('tar');
  });

  it('none of them: a ustar magic whose checksum fails, a head shorter than a tar block, text, nothing', () => {
    const bad = tarHeader();
    bad[0] = (bad[0] as number) ^ 0x01;
    expect(formatOfHead(bad)).toBe('other');
    expect(formatOfHead(tarHeader().subarray(0, 300))).toBe('other');
    expect(formatOfHead(Buffer.from('{"schemaVersion":2}'))).toBe('other');
    expect(formatOfHead(Buffer.from([0x1f]))).toBe('other');
    expect(formatOfHead(Buffer.alloc(0))).toBe('other');
  });
});

describe('declaredCompression', () => {
  it('OCI and Docker names of one compression agree; types that name none are null', () => {
    expect(declaredCompression(MEDIA_TYPES.ociLayerGzip)).toBe('gzip');
    expect(declaredCompression(MEDIA_TYPES.dockerLayerGzip)).toBe('gzip');
    expect(declaredCompression(MEDIA_TYPES.helmChart)).toBe('gzip');
    expect(declaredCompression(MEDIA_TYPES.ociLayerZstd)).toBe('zstd');
    expect(declaredCompression('application/vnd.docker.image.rootfs.diff.tar.zstd')).toBe('zstd');
    expect(declaredCompression(MEDIA_TYPES.ociLayerTar)).toBe('tar');
    expect(declaredCompression(MEDIA_TYPES.ociLayerNondistributableTar)).toBe('tar');
    expect(declaredCompression(MEDIA_TYPES.helmProvenance)).toBeNull();
    expect(declaredCompression('application/vnd.airlock.test.signature.v1+json')).toBeNull();
  });
});

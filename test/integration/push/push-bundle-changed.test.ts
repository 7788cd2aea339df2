/**
 * Hazard: a bundle rewritten after it was verified, while a push-only import reads its blobs
 * again from the bundle file (oci/push/bundle-blobs.ts). The bytes read again are hashed as they
 * are sent, and the upload is never closed unless they hash to the verified digest: the import
 * fails with BUNDLE_CHANGED, and the registry holds neither the blob nor the tag. The rewrite is
 * made from inside the fault proxy when it sees a request, so it lands after verification.
 */
import { openSync, closeSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeResult } from '../../helpers/cli-runner.js';
import { buildImageBundle, makeSigner, receivingStation } from '../../helpers/image-bundle.js';
import { startFaultProxy, type RegistryFaultProxy } from '../../helpers/registry-fault-proxy.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import type { TestSigner } from '../../helpers/hostile-tar.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { tool } from '../../helpers/tools.js';

const makeTemp = useTempDirs();
const registry = useRegistryServer();
const LAYER = 40 * 1024 * 1024;
let signer: TestSigner;
const proxies: RegistryFaultProxy[] = [];

beforeAll(async () => {
  signer = await makeSigner('Changed Bundle Sender');
});

afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
});

/** Flips one byte of the bundle file in place (same inode, as a writer on the medium would). */
function flipByte(path: string, at: number, original: number): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.from([original ^ 0xff]), 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

describe('a bundle changed after verification, while its blobs are read again for the push', () => {
  it.each([
    ['when the blob upload starts: a byte in its middle', 'start', 0.5],
    ["while its first chunk is on the way: the blob's last byte (read later)", 'first-chunk', 1],
  ] as const)('%s: BUNDLE_CHANGED, no blob and no tag in the registry', async (_label, when, where) => {
    const dir = await makeTemp('airlock-push-changed-');
    const bundle = await buildImageBundle(dir, { images: [{ refName: 'big-1.0', layers: [{ seed: 11, size: LAYER }] }], compression: 'none' }, signer);
    const image = bundle.images.images[0];
    if (!image) throw new Error('no image');
    // The layer: the largest blob (a tar holding the 40 MiB file).
    const layer = [...bundle.layout.blobs].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const layerBytes = await readFile(join(bundle.layout.dir, 'blobs', 'sha256', layer.slice(7)));
    expect(layerBytes.length).toBeGreaterThan(LAYER);
    const offsetInLayer = Math.min(layerBytes.length - 1, Math.floor(layerBytes.length * where));
    const at = (await readFile(bundle.path)).indexOf(layerBytes.subarray(0, 4096));
    expect(at).toBeGreaterThan(0);
    const proxy = await startFaultProxy(registry().url);
    proxies.push(proxy);
    let changed = false;
    // A rule that never fires: its match only watches for the instant to rewrite the bundle.
    proxy.failNext(1, {
      match: (r) => {
        const upload = r.path.includes('/blobs/uploads/');
        const now = when === 'start' ? r.method === 'POST' && upload : r.method === 'PATCH' && upload;
        if (now && !changed) {
          changed = true;
          flipByte(bundle.path, at + offsetInLayer, layerBytes[offsetInLayer] ?? 0);
        }
        return false;
      },
    });
    const station = await receivingStation(join(dir, 'rx'), signer);
    const result = await station.run(['import', bundle.path, '--push-to', `${proxy.host}/changed`, '--insecure-registry', '--json']);
    expect(changed).toBe(true);
    expect(result.code, describeResult(result)).toBe(3);
    expect(`${result.stdout}${result.stderr}`).toContain('BUNDLE_CHANGED');
    // Neither the blob under its verified digest nor the tag.
    const blob = await fetch(`${registry().url}/v2/changed/${image.repository}/blobs/${layer}`, { method: 'HEAD' });
    expect(blob.status).toBe(404);
    const tagged = tool('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry().host}/changed/${image.repository}:${image.tag ?? ''}`]);
    expect(tagged.status).not.toBe(0);
  });
});

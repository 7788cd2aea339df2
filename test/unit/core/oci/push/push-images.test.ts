/**
 * The push orchestration against an in-memory registry that records every call: order (blobs
 * before their manifest, platform manifests before their index, the tag last), the manifest
 * digest check, one failed image not stopping the others, expected-present checked before any
 * write, and the journal kept until the event naming the pushes is recorded (cleared then only
 * when everything reached the registry), so a kill before that event still names them.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../../../../electron/core/audit/audit-store.js';
import { openStationDb, type StationDb } from '../../../../../electron/core/db/station-db.js';
import { AirlockError } from '../../../../../electron/core/errors.js';
import { claimImport, folderId } from '../../../../../electron/core/import/import-claim.js';
import type { ImagesFile } from '../../../../../electron/core/oci/images-file.js';
import { pushImages } from '../../../../../electron/core/oci/push/push-images.js';
import { PushOnImport } from '../../../../../electron/core/oci/push/push-on-import.js';
import { currentOwner } from '../../../../../electron/core/recovery/process-owner.js';
import { settleInterruptedTransfers } from '../../../../../electron/core/recovery/reconcile.js';
import { receiptRegistrySection } from '../../../../../electron/core/oci/registry-receipt.js';
import type { BlobDescriptor, RegistryClientApi, UploadProgress } from '../../../../../electron/core/oci/registry/registry-api.js';
import { imagesFileFor } from '../../../../helpers/oci-images-file.js';
import { buildTestLayout, defaultTestImages } from '../../../../helpers/oci-test-image.js';
import { useTempDirs } from '../../../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();

type Call = { op: 'hasBlob' | 'mount' | 'upload' | 'put' | 'head'; repository: string; ref: string };

class MemoryRegistry implements RegistryClientApi {
  readonly calls: Call[] = [];
  readonly blobs = new Map<string, number>();
  readonly manifests = new Map<string, string>();
  /** Repositories whose manifest PUTs report another digest (a rewriting proxy). */
  readonly rewrite = new Set<string>();
  /** Repositories whose manifest PUTs are refused with a huge, hostile error. */
  readonly refuse = new Set<string>();

  async hasBlob(repository: string, digest: string): Promise<{ present: boolean; size: number | null }> {
    this.calls.push({ op: 'hasBlob', repository, ref: digest });
    const size = this.blobs.get(`${repository}@${digest}`);
    return Promise.resolve({ present: size !== undefined, size: size ?? null });
  }
  async mountBlob(repository: string, digest: string, from: string): Promise<boolean> {
    this.calls.push({ op: 'mount', repository, ref: digest });
    const size = this.blobs.get(`${from}@${digest}`);
    if (size === undefined) return Promise.resolve(false);
    this.blobs.set(`${repository}@${digest}`, size);
    return Promise.resolve(true);
  }
  async uploadBlob(
    repository: string,
    blob: BlobDescriptor,
    open: (offset: number) => Readable,
    options?: { onProgress?: ((progress: UploadProgress) => void) | undefined },
  ): Promise<void> {
    this.calls.push({ op: 'upload', repository, ref: blob.digest });
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of open(0) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    if (`sha256:${hash.digest('hex')}` !== blob.digest) throw new AirlockError('REGISTRY_DIGEST_MISMATCH', 'blob');
    options?.onProgress?.({ bytes, location: `http://memory/${repository}/uploads/1` });
    this.blobs.set(`${repository}@${blob.digest}`, bytes);
  }
  async putManifest(repository: string, reference: string, _mediaType: string, body: Buffer): Promise<{ digest: string }> {
    this.calls.push({ op: 'put', repository, ref: reference });
    if (this.refuse.has(repository)) {
      throw new AirlockError('REGISTRY_REFUSED', 'x'.repeat(20_000), { data: { registryCode: `DENIED${'\u202e'.repeat(500)}` } });
    }
    const digest = `sha256:${createHash('sha256')
      .update(this.rewrite.has(repository) ? Buffer.concat([body, Buffer.from(' ')]) : body)
      .digest('hex')}`;
    this.manifests.set(`${repository}:${reference}`, digest);
    this.manifests.set(`${repository}@${digest}`, digest);
    return Promise.resolve({ digest });
  }
  async headManifest(repository: string, reference: string): Promise<{ digest: string; mediaType: string; size: number } | null> {
    this.calls.push({ op: 'head', repository, ref: reference });
    const digest = this.manifests.get(reference.startsWith('sha256:') ? `${repository}@${reference}` : `${repository}:${reference}`);
    return Promise.resolve(digest === undefined ? null : { digest, mediaType: '', size: 0 });
  }
  getManifest(): Promise<null> {
    return Promise.resolve(null);
  }
  getBlob(): Promise<Readable> {
    return Promise.reject(new Error('not used'));
  }
  listReferrers(): Promise<BlobDescriptor[]> {
    return Promise.resolve([]);
  }
}

async function layoutWithImages(edit: (images: ImagesFile) => ImagesFile = (i) => i): Promise<{ dir: string; images: ImagesFile }> {
  const dir = await makeTemp('airlock-push-unit-');
  const layout = await buildTestLayout(join(dir, 'oci'), defaultTestImages(4096));
  const images = edit(await imagesFileFor(layout));
  await writeFile(join(layout.dir, 'airlock-images.json'), JSON.stringify(images));
  return { dir: layout.dir, images };
}

async function run(registry: MemoryRegistry, layoutDir: string, dbDir: string) {
  const db = openStationDb(join(dbDir, 'station.db'));
  try {
    const result = await pushImages({ layoutDir, endpoint: { host: 'memory', prefix: 'site', insecure: true }, client: registry, db, bundle: 'b'.repeat(64) });
    const journal = (db.prepare('SELECT COUNT(*) AS n FROM push_journal').get() as { n: number }).n;
    return { ...result, journal };
  } finally {
    db.close();
  }
}

describe('pushImages', () => {
  it('puts each manifest after its blobs, platform manifests before their index, the tag last; mounts the shared base', async () => {
    const { dir, images } = await layoutWithImages();
    const registry = new MemoryRegistry();
    const result = await run(registry, dir, await makeTemp('airlock-push-db-'));
    expect(result.pushes.map((p) => p.outcome)).toEqual(['pushed', 'pushed']);
    // Kept for the event that names these pushes (push-on-import.ts eventRecorded clears it there).
    expect(result.journal).toBeGreaterThan(0);
    for (const image of images.images) {
      const repository = `site/${image.repository}`;
      const writes = registry.calls.filter((c) => c.repository === repository && (c.op === 'upload' || c.op === 'mount' || c.op === 'put'));
      // The tag is the last write of the image's own manifests (referrers follow by digest).
      const tagAt = writes.findIndex((c) => c.op === 'put' && c.ref === image.tag);
      expect(tagAt).toBeGreaterThan(0);
      // After the tag only the referrers, each followed by its subject's `sha256-<hex>` tag index (no referrers API here).
      const after = writes.slice(tagAt + 1);
      expect(after.filter((c) => c.op === 'put' && image.referrers.includes(c.ref)).map((c) => c.ref)).toEqual(image.referrers);
      expect(after.every((c) => c.op === 'put' && (image.referrers.includes(c.ref) || /^sha256-[0-9a-f]{64}$/u.test(c.ref)))).toBe(true);
      expect(after.filter((c) => c.ref.startsWith('sha256-'))).toHaveLength(image.referrers.length);
      const firstPut = writes.findIndex((c) => c.op === 'put');
      expect(writes.slice(0, firstPut).every((c) => c.op !== 'put')).toBe(true);
      for (const platform of image.platforms) {
        if (platform.digest === image.digest) continue;
        expect(writes.findIndex((c) => c.ref === platform.digest)).toBeLessThan(tagAt);
      }
      expect(registry.manifests.get(`${repository}:${image.tag ?? ''}`)).toBe(image.digest);
    }
    expect(result.pushes[1]?.blobs.mounted).toBeGreaterThanOrEqual(1);
    expect(result.registry.blobsPresent.length).toBeGreaterThan(0);
  });

  it('a registry that reports another manifest digest fails that image (REGISTRY_DIGEST_MISMATCH); the other is pushed; the journal stays', async () => {
    const { dir } = await layoutWithImages();
    const registry = new MemoryRegistry();
    registry.rewrite.add('site/test/app');
    const result = await run(registry, dir, await makeTemp('airlock-push-db-'));
    expect(result.pushes.map((p) => [p.repository, p.outcome, p.errorCode ?? null])).toEqual([
      ['site/test/app', 'failed', 'REGISTRY_DIGEST_MISMATCH'],
      ['site/test/tool', 'pushed', null],
    ]);
    expect(result.journal).toBeGreaterThan(0);
    expect(result.registry.blobsPresent.every((b) => b.repository === 'site/test/tool')).toBe(true);
  });

  it('an expected-present blob the registry lacks stops the push before any write', async () => {
    const { dir } = await layoutWithImages((images) => ({
      ...images,
      expectedPresent: [{ digest: `sha256:${'cd'.repeat(32)}`, size: 10, mediaType: 'application/vnd.oci.image.layer.v1.tar', repository: 'site/base' }],
    }));
    const registry = new MemoryRegistry();
    await expect(run(registry, dir, await makeTemp('airlock-push-db-'))).rejects.toMatchObject({ code: 'REGISTRY_BLOB_ABSENT' });
    expect(registry.calls.filter((c) => c.op !== 'hasBlob')).toEqual([]);
  });

  it('a second run against a registry holding everything asks no blob and writes nothing', async () => {
    const { dir } = await layoutWithImages();
    const registry = new MemoryRegistry();
    const dbDir = await makeTemp('airlock-push-db-');
    await run(registry, dir, dbDir);
    registry.calls.length = 0;
    const again = await run(registry, dir, dbDir);
    expect(again.pushes.map((p) => p.outcome)).toEqual(['already-present', 'already-present']);
    expect(registry.calls.every((c) => c.op === 'head')).toBe(true);
  });

  it("a registry's oversized error text and code are bounded so the receipt stays readable by the far side", async () => {
    const { dir } = await layoutWithImages();
    const registry = new MemoryRegistry();
    registry.refuse.add('site/test/tool');
    const result = await run(registry, dir, await makeTemp('airlock-push-db-'));
    const failed = result.pushes[1];
    expect(failed?.outcome).toBe('failed');
    expect(failed?.errorCode?.length).toBeLessThanOrEqual(128);
    expect(failed?.message?.length).toBeLessThanOrEqual(4096);
    expect(receiptRegistrySection().safeParse(result.registry).success).toBe(true);
  });
});

const journalRows = (db: StationDb): number => (db.prepare('SELECT COUNT(*) AS n FROM push_journal').get() as { n: number }).n;

describe("the push journal's life", () => {
  const ENDPOINT = { host: 'memory', prefix: 'site', insecure: true };

  it('goes in the transaction that records the import event, only when every image reached the registry', async () => {
    const { dir } = await layoutWithImages();
    const db = openStationDb(join(await makeTemp('airlock-push-db-'), 'station.db'));
    try {
      const push = new PushOnImport({ endpoint: ENDPOINT, client: new MemoryRegistry(), db, destGiven: true });
      await push.beforeCommit({ payloadDir: dirname(dir), tagmanifestSha256: 'b'.repeat(64) });
      expect(push.outcome()?.pushes.map((p) => p.outcome)).toEqual(['pushed', 'pushed']);
      expect(journalRows(db)).toBeGreaterThan(0);
      push.eventRecorded();
      expect(journalRows(db)).toBe(0);

      const refusing = new MemoryRegistry();
      refusing.refuse.add('site/test/tool');
      const failing = new PushOnImport({ endpoint: ENDPOINT, client: refusing, db, destGiven: true });
      await failing.beforeCommit({ payloadDir: dirname(dir), tagmanifestSha256: 'c'.repeat(64) });
      failing.eventRecorded();
      // An image failed: the journal stays for the push retry.
      expect(journalRows(db)).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  // Found by the fault harness (`npm run fault -- --scenarios kill-push --seed 2`, trials 0 and 4, killed at
  // "settling"): the journal was cleared when the last image was pushed, so recovery recorded `import ok` naming nothing.
  it('an import killed after a complete push and its commit, before its event: the next start names every manifest put', async () => {
    const { dir, images } = await layoutWithImages();
    const root = await makeTemp('airlock-push-killed-');
    const db = openStationDb(join(root, 'station.db'));
    try {
      const bundle = 'd'.repeat(64);
      const staged = join(root, '.airlock-staging-1', 'payload');
      await mkdir(staged, { recursive: true });
      const destination = join(root, 'images');
      const owner = currentOwner();
      const dead = { pid: 2 ** 22 + 4321, host: owner.host, boot: owner.boot, start: '1' };
      const identity = { tagmanifestSha256: bundle, uuid: 'uuid-killed', name: 'images', signers: ['FP'], sequence: 1, station: 'beta' };
      const claim = {
        identity,
        destination,
        staged: folderId(staged) as { dev: string; ino: string },
        operator: 'op',
        bundlePath: '/b.tar',
        allowReplay: false,
      };
      expect(claimImport(db, claim, dead).kind).toBe('claimed');
      const result = await pushImages({ layoutDir: dir, endpoint: ENDPOINT, client: new MemoryRegistry(), db, bundle });
      expect(result.pushes.map((p) => p.outcome)).toEqual(['pushed', 'pushed']);
      // The commit rename (device and inode kept); the process dies before the transaction that records the event.
      await rename(staged, destination);

      expect(settleInterruptedTransfers(db, { station: 'alpha', operator: 'op', organization: null })).toMatchObject({ importsRecovered: 1 });
      const event = listAuditEvents(db, { type: 'import' }).at(-1);
      expect(event?.outcome).toBe('ok');
      const named = (event?.details.pushedManifests ?? []) as Array<{ target: string; repository: string; digest: string }>;
      for (const image of images.images) expect(named).toContainEqual({ target: 'memory/site', repository: `site/${image.repository}`, digest: image.digest });
      // Named in the event: the finished push's journal goes with it.
      expect(journalRows(db)).toBe(0);
    } finally {
      db.close();
    }
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../../../../electron/core/oci/layout-format.js';
import { planImage, type ManifestStep } from '../../../../electron/core/oci/graph/push-plan.js';
import { imageEntryFor } from '../../../helpers/oci-images-file.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../../helpers/oci-test-image.js';

let root: string;
let layout: BuiltLayout;
const read = async (digest: string): Promise<unknown> => JSON.parse(await readFile(join(layout.dir, 'blobs', 'sha256', digest.slice(7)), 'utf8')) as unknown;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-plan-'));
  layout = await buildTestLayout(join(root, 'layout'), defaultTestImages(4096));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function image(ref: string) {
  const found = layout.images.find((i) => i.refName === ref);
  if (!found) throw new Error(ref);
  return found;
}

describe('planImage: push order of one image', () => {
  it('a multi-platform image: each platform manifest after its blobs, the index last and tagged', async () => {
    const tool = image('tool-1.0');
    const plan = await planImage(await imageEntryFor(layout, tool), read);
    const order = plan.steps.map((s) => (s.kind === 'blob' ? s.blob.digest : s.digest));
    expect(new Set(order).size).toBe(order.length);
    const manifests = plan.manifests.map((m) => m.digest);
    expect(manifests).toEqual([...tool.manifests.map((m) => m.digest), tool.descriptor.digest]);
    const top = plan.manifests.at(-1) as ManifestStep;
    expect(top).toMatchObject({ tag: 'tool-1.0', mediaType: MEDIA_TYPES.ociIndex, subject: null });
    expect(plan.manifests.slice(0, -1).every((m) => m.tag === null)).toBe(true);
    // Every blob a manifest names comes before that manifest.
    for (const m of plan.manifests) {
      if (m.mediaType !== MEDIA_TYPES.ociManifest) continue;
      const doc = (await read(m.digest)) as { config: { digest: string }; layers: Array<{ digest: string }> };
      for (const blob of [doc.config, ...doc.layers]) expect(order.indexOf(blob.digest)).toBeLessThan(order.indexOf(m.digest));
    }
  });

  it('a referrer goes after its subject, with its own blobs, and names its subject', async () => {
    const app = image('app-1.0');
    const entry = await imageEntryFor(layout, app);
    const plan = await planImage(entry, read);
    const referrer = app.referrers[0]?.digest as string;
    const positions = plan.steps.map((s) => (s.kind === 'blob' ? s.blob.digest : s.digest));
    expect(positions.indexOf(referrer)).toBeGreaterThan(positions.indexOf(app.descriptor.digest));
    expect(plan.manifests.find((m) => m.digest === referrer)).toMatchObject({ subject: app.descriptor.digest, tag: null });
    expect(plan.manifests[0]).toMatchObject({ digest: app.descriptor.digest, tag: 'app-1.0' });
    // The referrer's config (the empty blob) and payload are planned before it.
    expect(positions.indexOf(referrer)).toBe(positions.length - 1);
    expect(plan.blobs.length).toBe(2 + 1 + 2);
  });

  it('a referrer of a referrer goes after the referrer it names', async () => {
    const app = image('app-1.0');
    const entry = await imageEntryFor(layout, app);
    const first = app.referrers[0]?.digest as string;
    const docs = new Map<string, unknown>();
    const second = 'sha256:' + 'b'.repeat(64);
    docs.set(second, {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType: 'application/x-sig',
      config: { mediaType: MEDIA_TYPES.ociEmpty, digest: 'sha256:' + 'c'.repeat(64), size: 2 },
      layers: [],
      subject: { mediaType: MEDIA_TYPES.ociManifest, digest: first, size: 1 },
    });
    // Listed first (and sorting first) though its subject is the other referrer.
    const plan = await planImage({ ...entry, referrers: [second, first] }, (d) => docs.get(d) ?? read(d));
    const manifests = plan.manifests.map((m) => m.digest);
    expect(manifests.indexOf(second)).toBeGreaterThan(manifests.indexOf(first));
  });

  it('refuses a referrer whose subject is not part of the image (an internal error: verification refuses such bundles)', async () => {
    const app = image('app-1.0');
    const tool = image('tool-1.0');
    const entry = await imageEntryFor(layout, tool);
    await expect(planImage({ ...entry, referrers: app.referrers.map((r) => r.digest) }, read)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

/**
 * The OCI inspector's memory: what it keeps of a layout while the payload streams (sizes and small
 * JSON documents within the budget), and that a document it could not keep is a finding, never a
 * pass. Fed as the payload pass feeds it: listed files, chunk by chunk, in bundle order.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JSON_BLOB_MAX_BYTES, JSON_BUDGET_BYTES, LayoutInspector } from '../../../../electron/core/oci/graph/layout-inspector.js';
import { MEDIA_TYPES, OCI_LAYOUT_CONTENT } from '../../../../electron/core/oci/layout-format.js';
import { PayloadIndex } from '../../../../electron/core/verify/payload-index.js';

const hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Layout {
  files: Array<{ path: string; bytes: Buffer }>;
}

/** One artifact manifest naming `layers` as its layers, tagged `t` in index.json, with its descriptor file. */
function layout(layers: Buffer[], extra: Buffer[] = []): Layout {
  const config = Buffer.from('{}');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType: 'application/x-test',
      config: { mediaType: MEDIA_TYPES.ociEmpty, digest: `sha256:${hex(config)}`, size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/x-test-layer', digest: `sha256:${hex(l)}`, size: l.length })),
    }),
  );
  const digest = `sha256:${hex(manifest)}`;
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: MEDIA_TYPES.ociManifest, digest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 't' } }],
    }),
  );
  const images = Buffer.from(
    JSON.stringify({
      airlockImages: 1,
      images: [
        { kind: 'image', source: 'oci:x:t', repository: 'x', tag: 't', digest, mediaType: MEDIA_TYPES.ociManifest, size: 0, platforms: [], referrers: [] },
      ],
      expectedPresent: [],
    }),
  );
  const blobs = new Map<string, Buffer>();
  for (const b of [...layers, ...extra, config, manifest]) blobs.set(hex(b), b);
  const files = [
    { path: 'data/oci/airlock-images.json', bytes: images },
    ...[...blobs].map(([h, bytes]) => ({ path: `data/oci/blobs/sha256/${h}`, bytes })),
    { path: 'data/oci/index.json', bytes: index },
    { path: 'data/oci/oci-layout', bytes: Buffer.from(OCI_LAYOUT_CONTENT) },
  ].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return { files };
}

async function run(
  l: Layout,
  order?: (files: Layout['files']) => Layout['files'],
): Promise<{ inspector: LayoutInspector; codes: string[]; messages: string[]; peakKept: number }> {
  const index = new PayloadIndex();
  for (const f of l.files) index.add(f.path, hex(f.bytes));
  const inspector = new LayoutInspector(index);
  let peakKept = 0;
  for (const f of order ? order(l.files) : l.files) {
    const inspection = inspector.inspect({ path: f.path, size: f.bytes.length });
    if (!inspection) continue;
    for (let at = 0; at < f.bytes.length; at += 65536) await inspection.update(f.bytes.subarray(at, at + 65536));
    await inspection.end(true);
    peakKept = Math.max(peakKept, inspector.keptBlobBytes);
  }
  const problems = await inspector.finish();
  return { inspector, codes: problems.map((p) => p.code), messages: problems.map((p) => p.message), peakKept };
}

describe('LayoutInspector', () => {
  it('10,000 layer blobs: keeps none of them (only the manifest and config), and proves the graph', async () => {
    const layers = Array.from({ length: 10_000 }, (_, i) => Buffer.from(`\x1f\x8b layer ${i}`));
    const { inspector, codes, peakKept } = await run(layout(layers));
    expect(codes).toEqual([]);
    expect(inspector.images?.[0]?.tag).toBe('t');
    // Manifest of 10,000 descriptors (~1.5 MB) plus the 2-byte config: nothing per layer.
    expect(peakKept).toBeLessThan(2 * 1024 * 1024);
  });

  it('JSON-looking layers fill the budget, and the manifest arriving after them cannot be kept: a finding, never a pass', async () => {
    const big = Array.from({ length: JSON_BUDGET_BYTES / JSON_BLOB_MAX_BYTES }, (_, i) =>
      Buffer.concat([Buffer.from(`{"n":${i}}`), Buffer.alloc(JSON_BLOB_MAX_BYTES - 8, 0x20)]),
    );
    // Manifest last of the blobs, after every big one.
    const l = layout(big);
    const { codes, messages, peakKept } = await run(l, (files) => {
      const manifest = files.filter((f) => f.bytes.includes('"artifactType"'));
      return [
        ...files.filter((f) => !manifest.includes(f) && !f.path.endsWith('index.json') && !f.path.endsWith('oci-layout')),
        ...manifest,
        ...files.filter((f) => f.path.endsWith('index.json') || f.path.endsWith('oci-layout')),
      ];
    });
    expect(peakKept).toBeLessThanOrEqual(JSON_BUDGET_BYTES);
    expect(codes).toEqual(['OCI_GRAPH_INVALID']);
    expect(messages[0]).toContain('exceed 64 MiB');
  });

  it('the same JSON-looking layers with the manifest first: kept within the budget, and the graph passes', async () => {
    const big = Array.from({ length: 3 }, (_, i) => Buffer.concat([Buffer.from(`{"n":${i}}`), Buffer.alloc(JSON_BLOB_MAX_BYTES - 8, 0x20)]));
    const { codes } = await run(layout(big));
    expect(codes).toEqual([]);
  });

  it('a blob that failed its checksum is not kept and not judged (its CHECKSUM_MISMATCH is the report)', async () => {
    const l = layout([Buffer.from('\x1f\x8b a')]);
    const index = new PayloadIndex();
    for (const f of l.files) index.add(f.path, hex(f.bytes));
    const inspector = new LayoutInspector(index);
    for (const f of l.files) {
      const inspection = inspector.inspect({ path: f.path, size: f.bytes.length });
      await inspection?.update(f.bytes);
      await inspection?.end(!f.bytes.includes('"artifactType"'));
    }
    expect(await inspector.finish()).toEqual([]);
    expect(inspector.images).toBeNull();
  });
});

/**
 * The walk over made-up blobs: shapes real hashes cannot build (an index listing itself, two
 * indexes listing each other) and the ones they can (a manifest reached twice is no loop).
 */
import { describe, expect, it } from 'vitest';
import { GraphWalk, MAX_NESTING, type BlobState } from '../../../../electron/core/oci/graph/graph-walk.js';
import { MEDIA_TYPES } from '../../../../electron/core/oci/layout-format.js';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const INDEX = MEDIA_TYPES.ociIndex;
const MANIFEST = MEDIA_TYPES.ociManifest;

/** Blobs by digest: JSON documents and plain layers; sizes as held. */
function blobs(docs: Record<string, unknown>, layers: Record<string, number> = {}): (d: string) => BlobState {
  return (d) => {
    if (d in docs) {
      const bytes = Buffer.from(JSON.stringify(docs[d]));
      return { state: 'carried', size: bytes.length, bytes };
    }
    if (d in layers) return { state: 'carried', size: layers[d] as number, bytes: null };
    return { state: 'absent' };
  };
}

const size = (doc: unknown): number => Buffer.byteLength(JSON.stringify(doc));
const indexOf = (...children: Array<{ digest: string; doc: unknown; mediaType?: string }>): unknown => ({
  schemaVersion: 2,
  mediaType: INDEX,
  manifests: children.map((c) => ({ mediaType: c.mediaType ?? INDEX, digest: c.digest, size: size(c.doc) })),
});

function walk(docs: Record<string, unknown>, top: Array<{ digest: string; mediaType: string }>, layers: Record<string, number> = {}): GraphWalk {
  const w = new GraphWalk(blobs(docs, layers), new Map());
  const index = { schemaVersion: 2, manifests: top.map((t) => ({ ...t, size: size(docs[t.digest]) })) };
  expect(w.walkFrom(Buffer.from(JSON.stringify(index)))).toBe(true);
  return w;
}

describe('loops', () => {
  it('an index listing itself', () => {
    const a = digest('a');
    // Its own size must be stated inside it: a fixed point found by trying.
    let doc: unknown = { schemaVersion: 2, mediaType: INDEX, manifests: [{ mediaType: INDEX, digest: a, size: 0 }] };
    for (let i = 0; i < 5; i++) doc = { schemaVersion: 2, mediaType: INDEX, manifests: [{ mediaType: INDEX, digest: a, size: size(doc) }] };
    const w = walk({ [a]: doc }, [{ digest: a, mediaType: INDEX }]);
    expect(w.findings.map((f) => f.code)).toEqual(['OCI_GRAPH_INVALID']);
    expect(w.findings[0]?.detail).toContain('loop');
  });

  it('two indexes listing each other, reached from either side', () => {
    const a = digest('a');
    const b = digest('b');
    const docA: Record<string, unknown> = { schemaVersion: 2, mediaType: INDEX, manifests: [] };
    const docB: Record<string, unknown> = { schemaVersion: 2, mediaType: INDEX, manifests: [] };
    // Sizes settle after a few rounds (the digit counts stop changing).
    for (let i = 0; i < 5; i++) {
      docA.manifests = [{ mediaType: INDEX, digest: b, size: size(docB) }];
      docB.manifests = [{ mediaType: INDEX, digest: a, size: size(docA) }];
    }
    for (const start of [a, b]) {
      const w = walk({ [a]: docA, [b]: docB }, [{ digest: start, mediaType: INDEX }]);
      expect(w.findings.map((f) => f.code)).toEqual(['OCI_GRAPH_INVALID']);
      expect(w.findings[0]?.detail).toContain('loop');
    }
  });

  it('a manifest reached through two indexes (a diamond) is no loop', () => {
    const layer = digest('1');
    const config = digest('2');
    const manifest = {
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: { mediaType: MEDIA_TYPES.ociConfig, digest: config, size: 2 },
      layers: [{ mediaType: MEDIA_TYPES.ociLayerGzip, digest: layer, size: 10 }],
    };
    const m = digest('9');
    const i1 = indexOf({ digest: m, doc: manifest, mediaType: MANIFEST });
    const i2 = { ...(i1 as object), annotations: { x: 'y' } };
    const w = walk(
      { [m]: manifest, [digest('c')]: i1, [digest('d')]: i2 },
      [
        { digest: digest('c'), mediaType: INDEX },
        { digest: digest('d'), mediaType: INDEX },
      ],
      { [layer]: 10, [config]: 2 },
    );
    expect(w.findings).toEqual([]);
    expect([...w.reached.keys()].sort()).toEqual([layer, config, digest('c'), digest('d'), m].sort());
  });
});

describe('nesting', () => {
  const chain = (levels: number): { docs: Record<string, unknown>; top: string } => {
    const docs: Record<string, unknown> = {};
    const leaf = { schemaVersion: 2, mediaType: MANIFEST, config: { mediaType: MEDIA_TYPES.ociEmpty, digest: digest('e'), size: 2 }, layers: [] };
    docs[digest('0')] = leaf;
    let inner: { digest: string; doc: unknown; mediaType: string } = { digest: digest('0'), doc: leaf, mediaType: MANIFEST };
    for (let i = 1; i < levels; i++) {
      const d = `sha256:${i.toString(16).padStart(64, 'f')}`;
      docs[d] = indexOf(inner);
      inner = { digest: d, doc: docs[d], mediaType: INDEX };
    }
    docs[digest('e')] = {};
    return { docs, top: inner.digest };
  };

  it(`${MAX_NESTING} levels below index.json pass; one more is refused`, () => {
    const ok = chain(MAX_NESTING);
    expect(walk(ok.docs, [{ digest: ok.top, mediaType: MAX_NESTING > 1 ? INDEX : MANIFEST }]).findings).toEqual([]);
    const deep = chain(MAX_NESTING + 1);
    const w = walk(deep.docs, [{ digest: deep.top, mediaType: INDEX }]);
    expect(w.findings.map((f) => f.code)).toEqual(['OCI_GRAPH_INVALID']);
    expect(w.findings[0]?.detail).toContain('nest deeper');
  });
});

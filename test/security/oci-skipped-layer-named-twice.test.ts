/**
 * Hazard (an honest bundle refused): a base layer shared by an OCI manifest and a Docker-typed one,
 * left out because the far registry holds it (--skip-blobs-in), is declared expected-present under
 * one of its two names; the other manifest's name differs only in spelling, not in compression.
 * It is one layer (layer-compression.ts's rule for carried layers) and must pass. The real
 * disagreements still fail: the declaration of another compression, and the two manifests naming
 * two compressions (OCI_GRAPH_INVALID).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../../electron/core/oci/layout-format.js';
import type { BagPayloadFile } from '../helpers/hostile-tar.js';
import { blobJson, blobPath, editBlob, editFile, jsonAt } from '../helpers/oci-bundle-edit.js';
import { openOciFixture, type OciFixture } from '../helpers/oci-bundle.js';
import { graphFindings } from '../helpers/oci-graph-findings.js';
import type { BuiltImage } from '../helpers/oci-test-image.js';

let fx: OciFixture;
let tool: BuiltImage;
beforeAll(async () => {
  fx = await openOciFixture();
  tool = fx.layout.images.find((i) => i.refName === 'tool-1.0') as BuiltImage;
});
afterAll(async () => {
  await fx.close();
});

type Desc = { mediaType: string; digest: string; size: number };
const layersOf = (d: Record<string, unknown>): Desc[] => d.layers as Desc[];

/** app-1.0's manifest digest as index.json names it now. */
function appManifest(files: BagPayloadFile[]): string {
  const index = jsonAt(files, 'data/oci/index.json') as { manifests: Array<Desc & { annotations?: Record<string, string> }> };
  return index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === 'app-1.0')?.digest as string;
}

/**
 * The base layer app and tool's amd64 manifest share: named `toolName` in tool's manifest (app's
 * names it OCI gzip), declared expected-present as `declaredAs`, and left out of the bundle.
 */
async function skippedShared(toolName: string, declaredAs: string): Promise<BagPayloadFile[]> {
  const base = await fx.payload();
  const shared = layersOf(blobJson(base, appManifest(base)))[0] as Desc;
  const renamed = editBlob(base, tool.manifests[0]?.digest as string, (d) => {
    const layer = layersOf(d).find((l) => l.digest === shared.digest) as Desc;
    layer.mediaType = toolName;
  }).files;
  const declared = editFile(renamed, 'data/oci/airlock-images.json', (d) => {
    (d.expectedPresent as unknown[]).push({ digest: shared.digest, size: shared.size, mediaType: declaredAs, repository: 'test/app' });
  });
  return declared.filter((f) => f.path !== blobPath(shared.digest));
}

describe('a skipped layer named by an OCI and a Docker manifest', () => {
  it('honest: one gzip layer under its OCI name and its Docker name, declared under either, verifies (every pass) and imports', async () => {
    const oci = await skippedShared(MEDIA_TYPES.dockerLayerGzip, MEDIA_TYPES.ociLayerGzip);
    expect(graphFindings(await skippedShared(MEDIA_TYPES.dockerLayerGzip, MEDIA_TYPES.dockerLayerGzip))).toEqual([]);
    expect((await fx.verify(oci)).problems).toEqual([]);
    const imported = await fx.import(oci);
    expect(imported.problems).toEqual([]);
    expect(imported.ok).toBe(true);
  });

  // Through the graph check alone: the walk is the pipeline's (verify and import, oci-chart-mislabelled's last case shows it).
  it('refused: declared as tar while both manifests say gzip; named zstd in one manifest and gzip in the other', async () => {
    const cases: Array<[string, BagPayloadFile[], RegExp]> = [
      ['declared tar', await skippedShared(MEDIA_TYPES.dockerLayerGzip, MEDIA_TYPES.ociLayerTar), /expected-present as .*tar, another kind of layer/u],
      ['zstd in tool', await skippedShared(MEDIA_TYPES.ociLayerZstd, MEDIA_TYPES.ociLayerGzip), /One blob has one compression/u],
    ];
    for (const [what, files, message] of cases) {
      const findings = graphFindings(files);
      expect(new Set(findings.map((f) => f.code)), what).toEqual(new Set(['OCI_GRAPH_INVALID']));
      expect(
        findings.some((f) => message.test(f.detail)),
        what,
      ).toBe(true);
    }
  });
});

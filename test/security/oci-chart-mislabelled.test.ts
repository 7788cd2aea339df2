/**
 * Hazard: a signed airlock-images.json entry that names a Helm chart other than it is. The report,
 * the audit row and the receipt say `chart nginx:1.25`, the registry tags it so, and the site runs
 * `helm install oci://…/nginx --version 1.25`; what installs is the chart whose Helm config says
 * `web 1.2.0`. Helm's own client refuses to push a chart under another name or version (strict
 * mode); a bundle must not do it for Helm. Likewise an image declared a chart, a chart declared an
 * image, and a chart manifest without exactly one chart layer. Verify and import refuse each
 * (OCI_GRAPH_INVALID); the honest chart (a SemVer `+` brought to `_`, as Helm tags it) passes.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../../electron/core/oci/layout-format.js';
import type { BagPayloadFile } from '../helpers/hostile-tar.js';
import { addBlob, editFile, replaceBlob, sha256Digest } from '../helpers/oci-bundle-edit.js';
import { expectRefused, openOciFixture, type OciFixture } from '../helpers/oci-bundle.js';
import { graphFindings } from '../helpers/oci-graph-findings.js';

let fx: OciFixture;
beforeAll(async () => {
  fx = await openOciFixture();
});
afterAll(async () => {
  await fx.close();
});

interface ChartSpec {
  meta?: Record<string, unknown>;
  repository?: string;
  tag?: string;
  kind?: 'chart' | 'image';
  layers?: number;
}

/** The fixture's payload plus one Helm chart as `helm push` stores it, declared as `spec` says (honest by default). */
async function withChart(spec: ChartSpec = {}): Promise<BagPayloadFile[]> {
  // The chart layer's bytes only need to be gzip here (layer-compression.ts); nothing unpacks them.
  const layer = gzipSync(Buffer.from('web/Chart.yaml\n'));
  const config = Buffer.from(JSON.stringify(spec.meta ?? { apiVersion: 'v2', name: 'web', version: '1.2.0+build.7' }));
  const base = await fx.payload();
  let files = spec.layers === 0 ? base : addBlob(base, layer).files;
  files = addBlob(files, config).files;
  const layerDesc = { mediaType: MEDIA_TYPES.helmChart, digest: sha256Digest(layer), size: layer.length };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: MEDIA_TYPES.helmConfig, digest: sha256Digest(config), size: config.length },
      layers: Array.from({ length: spec.layers ?? 1 }, () => layerDesc),
    }),
  );
  const added = addBlob(files, manifest);
  const repository = spec.repository ?? 'charts/web';
  const tag = spec.tag ?? '1.2.0_build.7';
  const top = { mediaType: MEDIA_TYPES.ociManifest, digest: added.digest, size: manifest.length };
  files = editFile(added.files, 'data/oci/index.json', (d) => {
    (d.manifests as unknown[]).push({ ...top, annotations: { 'org.opencontainers.image.ref.name': `${repository}:${tag}` } });
  });
  return editFile(files, 'data/oci/airlock-images.json', (d) => {
    (d.images as unknown[]).push({
      kind: spec.kind ?? 'chart',
      source: 'chart:/src/web-1.2.0.tgz',
      repository,
      tag,
      ...top,
      size: manifest.length + config.length + layer.length,
      platforms: [],
      referrers: [],
    });
  });
}

describe('a chart entry against the Helm chart it names', () => {
  it('honest: the chart under its own name and version passes verify (every pass)', async () => {
    const files = await withChart();
    expect(graphFindings(files)).toEqual([]);
    expect((await fx.verify(files)).problems).toEqual([]);
  });

  it('another name, another version, no version, an image called a chart, a chart called an image, two chart layers, a config renamed: refused', async () => {
    const imageAsChart = editFile(await fx.payload(), 'data/oci/airlock-images.json', (d) => {
      (d.images as Array<{ kind: string }>)[0]!.kind = 'chart';
    });
    const honest = await withChart();
    const config = honest.find((f) => Buffer.from(f.content).toString('utf8').includes('"name":"web"'));
    if (!config) throw new Error('no chart config');
    const renamed = replaceBlob(
      honest,
      sha256Digest(Buffer.from(config.content)),
      Buffer.from(JSON.stringify({ apiVersion: 'v2', name: 'evil', version: '1.2.0+build.7' })),
    );
    const cases: Array<[string, BagPayloadFile[], RegExp]> = [
      ['declared under another name', await withChart({ repository: 'charts/nginx' }), /calls itself web, but it is declared as charts\/nginx/u],
      ['declared under a name ending in its name', await withChart({ repository: 'charts/myweb' }), /calls itself web, but it is declared as charts\/myweb/u],
      ['declared under another version', await withChart({ tag: '1.25.0' }), /version is 1\.2\.0_build\.7, not 1\.25\.0/u],
      ['a config without a version', await withChart({ meta: { apiVersion: 'v2', name: 'web' } }), /no name and version usable/u],
      ['a config that is not a map', await withChart({ meta: ['web'] as unknown as Record<string, unknown> }), /no name and version usable/u],
      ['a chart declared an image', await withChart({ kind: 'image' }), /declared an image, but .* is a Helm chart/u],
      ['an image declared a chart', imageAsChart, /declared a chart, but .* is not a Helm chart manifest/u],
      ['two chart layers', await withChart({ layers: 2 }), /holds 2 chart layers/u],
      ['no chart layer', await withChart({ layers: 0 }), /holds 0 chart layers/u],
      ['its config renamed after it was declared', renamed.files, /calls itself evil/u],
    ];
    for (const [what, files, message] of cases) {
      const findings = graphFindings(files);
      expect(
        findings.map((p) => [p.code, p.path]),
        what,
      ).toEqual([['OCI_GRAPH_INVALID', 'data/oci/airlock-images.json']]);
      expect(findings[0]?.detail, what).toMatch(message);
    }
  });

  it('verify and import refuse it with the same code', async () => {
    await expectRefused(fx, await withChart({ repository: 'nginx', tag: '1.25.0' }), ['OCI_GRAPH_INVALID'], { message: /calls itself web/u });
  });
});

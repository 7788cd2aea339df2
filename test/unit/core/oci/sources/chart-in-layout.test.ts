/**
 * A Helm chart exported with `--image oci:DIR:TAG` (a layout `helm push`, oras or skopeo wrote)
 * travels as `--chart` makes it: kind `chart`, the chart's name as the repository's last component
 * and its version as the tag, whatever the folder or ref name say, since verify refuses a chart
 * entry that names another chart (chart-entry.ts, bundle-format.md §15.3 rule 12). An image stays
 * an image under its ref name.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES, REF_NAME_ANNOTATION } from '../../../../../electron/core/oci/layout-format.js';
import { LayoutDir } from '../../../../../electron/core/oci/sources/layout-reader.js';
import { selectImage } from '../../../../../electron/core/oci/sources/image-selection.js';
import { ImageWorkDir } from '../../../../../electron/core/oci/sources/work-dir.js';

let root: string;
let work: ImageWorkDir;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-chart-layout-'));
  work = await ImageWorkDir.create(root);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A layout at `dir` holding one manifest with `config` (of `configType`) and one layer, tagged `refName`. */
async function layoutWith(dir: string, configType: string, config: unknown, layerType: string, refName: string): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = async (bytes: Buffer, mediaType: string) => {
    const hex = createHash('sha256').update(bytes).digest('hex');
    await writeFile(join(dir, 'blobs', 'sha256', hex), bytes);
    return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
  };
  const configDesc = await put(Buffer.from(JSON.stringify(config)), configType);
  const layerDesc = await put(gzipSync(Buffer.from('chart')), layerType);
  const manifest = await put(
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: configDesc, layers: [layerDesc] })),
    MEDIA_TYPES.ociManifest,
  );
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...manifest, annotations: { [REF_NAME_ANNOTATION]: refName } }] }));
}

describe('a Helm chart selected from a layout', () => {
  it('is a chart under its own name and version, the namespace of the ref name kept', async () => {
    const dir = join(root, 'my-charts');
    await layoutWith(dir, MEDIA_TYPES.helmConfig, { apiVersion: 'v2', name: 'web', version: '1.2.0+build.7' }, MEDIA_TYPES.helmChart, 'team/other:latest');
    const image = await selectImage(new LayoutDir(dir, `oci:${dir}:team/other:latest`), { tag: 'team/other:latest', platforms: [], namePath: dir, work });
    expect(image.entry).toMatchObject({ kind: 'chart', repository: 'team/web', tag: '1.2.0_build.7', platforms: [] });
  });

  it('an image stays an image under its ref name', async () => {
    const dir = join(root, 'app');
    await layoutWith(
      dir,
      MEDIA_TYPES.ociConfig,
      { os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } },
      MEDIA_TYPES.ociLayerGzip,
      'app:1.0',
    );
    const image = await selectImage(new LayoutDir(dir, `oci:${dir}:app:1.0`), { tag: 'app:1.0', platforms: [], namePath: dir, work });
    expect(image.entry).toMatchObject({ kind: 'image', repository: 'app', tag: '1.0' });
  });
});

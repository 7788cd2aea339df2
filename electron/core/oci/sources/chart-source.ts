/**
 * `--chart FILE.tgz`: a Helm chart as an OCI artifact, the way `helm push` stores one: a
 * manifest whose config is Chart.yaml's metadata as JSON (`application/vnd.cncf.helm.config.v1+json`)
 * and whose one layer is the .tgz itself, byte for byte (read from where it lies, not copied).
 * Repository = chart name, tag = chart version (`+` becomes `_`, as Helm does). Chart.yaml and
 * values.yaml are read from the archive with bounded sizes; images the values name are listed
 * (`chartImages`) for the operator to add with --image: information only, nothing is fetched.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { AirlockError } from '../../errors.js';
import { MEDIA_TYPES } from '../layout-format.js';
import { entryBytes, readArchiveFiles } from './archive-reader.js';
import { printable } from './image-reference.js';
import type { ResolvedImage } from './image-selection.js';
import type { ImageWorkDir } from './work-dir.js';
import { normalizeRepository, normalizeTag } from './target-name.js';
import { createRegularReadStream } from '../../fs/open-regular.js';

const YAML_MAX_BYTES = 1024 * 1024;
const CHART_LIMITS = { maxEntries: 10_000, maxBytes: 256 * 1024 * 1024 };
const MAX_CHART_IMAGES = 1024;

export async function readChart(file: string, work: ImageWorkDir, signal?: AbortSignal): Promise<ResolvedImage> {
  const source = `chart:${file}`;
  let chartYaml: Buffer | null = null;
  let valuesYaml: Buffer | null = null;
  let top: string | null = null;
  await readArchiveFiles(file, source, { gunzip: true, limits: CHART_LIMITS, signal }, async (name, entry) => {
    const parts = name.split('/');
    if (parts.length !== 2) return;
    // Helm packages one chart folder; its dependencies live under charts/ and are not this chart's metadata.
    if (top !== null && parts[0] !== top) return;
    if (parts[1] === 'Chart.yaml') {
      if (chartYaml) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: Chart.yaml appears twice.`);
      top = parts[0] ?? null;
      chartYaml = await entryBytes(entry, YAML_MAX_BYTES, `${printable(source)}: Chart.yaml`);
    } else if (parts[1] === 'values.yaml') {
      valuesYaml = await entryBytes(entry, YAML_MAX_BYTES, `${printable(source)}: values.yaml`);
    }
  });
  if (!chartYaml)
    throw new AirlockError('IMAGE_SOURCE_INVALID', `${printable(source)}: no Chart.yaml at the top of the archive: not a Helm chart (helm package makes one).`);
  const meta = yamlDocument(chartYaml, source, 'Chart.yaml');
  const name = typeof meta.name === 'string' ? normalizeRepository(meta.name) : null;
  const version = typeof meta.version === 'string' ? normalizeTag(meta.version) : null;
  if (name === null || version === null)
    throw new AirlockError('IMAGE_SOURCE_INVALID', `${printable(source)}: Chart.yaml needs a name and a version usable as repository and tag.`);
  const values = valuesYaml ? yamlDocument(valuesYaml, source, 'values.yaml') : {};

  const layer = await hashFile(file);
  const config = await work.writeBlob(Buffer.from(JSON.stringify(meta)), MEDIA_TYPES.helmConfig);
  const manifestBody = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
      layers: [{ mediaType: MEDIA_TYPES.helmChart, digest: layer.digest, size: layer.size }],
    }),
  );
  const manifest = await work.writeBlob(manifestBody, MEDIA_TYPES.ociManifest);
  const blobs = [manifest, config, { digest: layer.digest, size: layer.size, mediaType: MEDIA_TYPES.helmChart, absPath: file }];
  return {
    entry: {
      kind: 'chart',
      source: file,
      repository: name,
      tag: version,
      digest: manifest.digest,
      mediaType: MEDIA_TYPES.ociManifest,
      size: blobs.reduce((sum, b) => sum + b.size, 0),
      platforms: [],
      referrers: [],
      chartImages: chartImages(values),
    },
    top: { mediaType: MEDIA_TYPES.ociManifest, digest: manifest.digest, size: manifest.size },
    blobs,
    referrerDescriptors: [],
  };
}

function yamlDocument(bytes: Buffer, source: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    // Aliases are bounded by the library's maxAliasCount; a document that is not a map is refused.
    value = parseYaml(bytes.toString('utf8'), { maxAliasCount: 100 });
  } catch (error) {
    throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: ${what} is not valid YAML (${(error as Error).message.split('\n')[0] ?? ''}).`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: ${what} is not a YAML map.`);
  return value as Record<string, unknown>;
}

/**
 * Images a chart's values name, in the two shapes charts use: `image: "repo/name:tag"` and a map
 * with `repository` (and `registry`, `tag` or `digest`). Order of first appearance, each once.
 */
export function chartImages(values: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > 64 || found.size >= MAX_CHART_IMAGES || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const map = node as Record<string, unknown>;
    if (
      typeof map.repository === 'string' &&
      map.repository.trim() !== '' &&
      (typeof map.tag === 'string' || typeof map.tag === 'number' || typeof map.digest === 'string' || typeof map.registry === 'string')
    ) {
      const registry = typeof map.registry === 'string' && map.registry !== '' ? `${map.registry.replace(/\/+$/u, '')}/` : '';
      const suffix =
        typeof map.digest === 'string' && map.digest !== '' ? `@${map.digest}` : map.tag !== undefined && map.tag !== '' ? `:${String(map.tag)}` : '';
      add(`${registry}${map.repository}${suffix}`);
    }
    for (const [key, value] of Object.entries(map)) {
      if (key === 'image' && typeof value === 'string') add(value);
      else visit(value, depth + 1);
    }
  };
  const add = (text: string): void => {
    const clean = text.trim().slice(0, 1024);
    if (clean !== '' && found.size < MAX_CHART_IMAGES) found.add(clean);
  };
  visit(values, 0);
  return [...found];
}

async function hashFile(file: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createRegularReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

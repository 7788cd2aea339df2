/**
 * The whole OCI check of a bundle's layout (docs/bundle-format.md §15), once its payload was read:
 * oci-layout, the walk from index.json (graph-walk.ts), no blob that nothing references, every
 * expected-present blob used and not also carried, and airlock-images.json agreeing with what the
 * graph proves (digests, tags, platforms, referrers). Pure; the report's ImageSummary list is made
 * from the proven graph, not copied from the descriptor file.
 */
import type { ImagePlatform, ImageSummary } from '../../../../shared/images.js';
import { imagesFileSchema, IMAGES_FILE_MAX_BYTES, type ExpectedPresentBlob, type ImageEntry, type ImagesFile } from '../images-file.js';
import { blobBagPath, OCI_IMAGES_FILE, OCI_LAYOUT_FILE } from '../layout-format.js';
import { chartDisagreement } from './chart-entry.js';
import { parseJsonBytes } from './documents.js';
import { GraphWalk, type BlobState, type GraphFinding, type GraphNode } from './graph-walk.js';

export type { BlobState, GraphCode, GraphFinding } from './graph-walk.js';

export interface GraphInput {
  layoutBytes: Buffer;
  indexBytes: Buffer;
  imagesBytes: Buffer;
  blob(digest: string): BlobState;
  /** Digests of every blob the bundle carries (listed under blobs/sha256/ and proven). */
  carried(): Iterable<string>;
}

export interface GraphResult {
  findings: GraphFinding[];
  /** Filled when there are no findings. */
  images: ImageSummary[] | null;
}

export function checkGraph(input: GraphInput): GraphResult {
  const findings: GraphFinding[] = [];
  const fail = (detail: string, path: string): GraphResult => ({ findings: [...findings, { code: 'OCI_GRAPH_INVALID', detail, path }], images: null });
  const layout = parseJsonBytes(input.layoutBytes, 'oci-layout');
  if (typeof layout === 'string' || (layout.json as { imageLayoutVersion?: unknown } | null)?.imageLayoutVersion !== '1.0.0')
    return fail('oci-layout must state imageLayoutVersion 1.0.0.', OCI_LAYOUT_FILE);
  if (input.imagesBytes.length > IMAGES_FILE_MAX_BYTES) return fail(`It is over ${IMAGES_FILE_MAX_BYTES} bytes.`, OCI_IMAGES_FILE);
  const imagesJson = parseJsonBytes(input.imagesBytes, 'airlock-images.json');
  if (typeof imagesJson === 'string') return fail(imagesJson, OCI_IMAGES_FILE);
  const parsed = imagesFileSchema().safeParse(imagesJson.json);
  if (!parsed.success) return fail(`It does not follow the descriptor schema: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, OCI_IMAGES_FILE);
  const images = parsed.data;

  const expected = new Map<string, ExpectedPresentBlob>();
  for (const blob of images.expectedPresent) {
    if (expected.has(blob.digest))
      findings.push({ code: 'OCI_GRAPH_INVALID', detail: `It declares ${blob.digest} expected-present twice.`, path: OCI_IMAGES_FILE });
    expected.set(blob.digest, blob);
  }
  const walk = new GraphWalk(input.blob, expected);
  if (!walk.walkFrom(input.indexBytes) || walk.findings.length > 0 || walk.incomplete) {
    // Blobs below a broken descriptor look unreferenced, and an image's platforms unprovable: consequences, not
    // more hazards. The walk's own findings are the report.
    return { findings: [...findings, ...walk.findings], images: null };
  }

  for (const digest of input.carried())
    if (!walk.reached.has(digest))
      findings.push({
        code: 'OCI_GRAPH_INVALID',
        detail: `The blob ${digest} is not reachable from index.json: nothing refers to it.`,
        path: blobBagPath(digest),
      });
  for (const blob of images.expectedPresent) {
    if (input.blob(blob.digest).state !== 'absent')
      findings.push({ code: 'OCI_GRAPH_INVALID', detail: `It declares ${blob.digest} expected-present, but the bundle carries it.`, path: OCI_IMAGES_FILE });
    else if (!walk.expectedUsed.has(blob.digest))
      findings.push({ code: 'OCI_GRAPH_INVALID', detail: `It declares ${blob.digest} expected-present, but no image refers to it.`, path: OCI_IMAGES_FILE });
  }
  const summaries = compareImages(images, walk, input, findings);
  return { findings, images: findings.length === 0 ? summaries : null };
}

/** airlock-images.json against index.json and the graph: each entry's top descriptor, tag, platforms and referrers. */
function compareImages(file: ImagesFile, walk: GraphWalk, input: GraphInput, findings: GraphFinding[]): ImageSummary[] {
  const disagree = (detail: string): void => void findings.push({ code: 'OCI_GRAPH_INVALID', detail, path: OCI_IMAGES_FILE });
  const summaries: ImageSummary[] = [];
  const claimed = new Set<number>();
  const names = new Set<string>();
  for (const entry of file.images) {
    const label = `${entry.repository}${entry.tag === null ? '' : `:${entry.tag}`}`;
    if (entry.tag !== null) {
      if (names.has(label)) disagree(`It lists ${label} twice.`);
      names.add(label);
    }
    const tops = walk.top.flatMap((d, i) => (d.digest === entry.digest ? [i] : []));
    if (tops.length === 0) {
      disagree(`${label} is ${entry.digest}, which index.json does not list.`);
      continue;
    }
    for (const i of tops) if (walk.top[i]?.refName === undefined) claimed.add(i);
    if (entry.tag !== null) {
      const tagged = tops.filter((i) => refNameMatches(walk.top[i]?.refName, entry));
      if (tagged.length === 0) disagree(`${label}: index.json does not tag ${entry.digest} as ${entry.tag}.`);
      for (const i of tagged) claimed.add(i);
    }
    const top = walk.top[tops[0] as number];
    if (top && top.mediaType !== entry.mediaType) disagree(`${label} is declared ${entry.mediaType}; index.json lists it as ${top.mediaType}.`);
    const node = walk.nodes.get(entry.digest);
    if (!node) continue;
    const chart = chartDisagreement(entry, node.doc, (digest) => keptBytes(input, digest));
    if (chart !== null) disagree(`${label}: ${chart}`);
    const platforms = platformsOf(node, walk, input);
    if (platformKey(platforms) !== platformKey(entry.platforms)) disagree(`${label}: its platforms differ from the manifests' (${describe(platforms)}).`);
    const referrers = referrersOf(node, walk);
    if ([...referrers].sort().join() !== [...entry.referrers].sort().join())
      disagree(`${label}: its referrers differ from those in the bundle (${referrers.length === 0 ? 'none' : referrers.join(', ')}).`);
    summaries.push({
      kind: entry.kind,
      source: entry.source,
      repository: entry.repository,
      tag: entry.tag,
      digest: entry.digest,
      mediaType: entry.mediaType,
      size: sizeOf(node, walk),
      platforms,
      referrers,
    });
  }
  const allReferrers = new Set(summaries.flatMap((s) => s.referrers));
  for (const [i, d] of walk.top.entries()) {
    if (claimed.has(i) || (d.refName === undefined && allReferrers.has(d.digest))) continue;
    const what = d.refName === undefined ? d.digest : `${d.digest} tagged ${d.refName}`;
    disagree(`index.json lists ${what}, which airlock-images.json does not declare.`);
  }
  return summaries;
}

function keptBytes(input: GraphInput, digest: string): Buffer | null {
  const held = input.blob(digest);
  return held.state === 'carried' ? held.bytes : null;
}

/** index.json's tag for an image: the tag alone, or `repository:tag`. */
function refNameMatches(refName: string | undefined, entry: ImageEntry): boolean {
  return refName !== undefined && (refName === entry.tag || refName === `${entry.repository}:${entry.tag ?? ''}`);
}

/** An index's platform manifests, or a single manifest's platform as its config states it. */
function platformsOf(node: GraphNode, walk: GraphWalk, input: GraphInput): ImagePlatform[] {
  if (node.doc.kind === 'index')
    return node.doc.manifests.flatMap((m) =>
      m.platform ? [{ os: m.platform.os, architecture: m.platform.architecture, variant: m.platform.variant, digest: m.digest }] : [],
    );
  const config = input.blob(node.doc.config.digest);
  if (config.state !== 'carried' || config.bytes === null || !walk.reached.has(node.doc.config.digest)) return [];
  const json = parseJsonBytes(config.bytes, 'config');
  if (typeof json === 'string') return [];
  const c = json.json as { os?: unknown; architecture?: unknown; variant?: unknown } | null;
  if (typeof c?.os !== 'string' || typeof c.architecture !== 'string') return [];
  return [{ os: c.os, architecture: c.architecture, variant: typeof c.variant === 'string' ? c.variant : undefined, digest: node.digest }];
}

function platformKey(platforms: readonly ImagePlatform[]): string {
  return platforms
    .map((p) => `${p.digest}|${p.os}|${p.architecture}|${p.variant ?? ''}`)
    .sort()
    .join(',');
}

function describe(platforms: readonly ImagePlatform[]): string {
  return platforms.length === 0 ? 'none' : platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`).join(', ');
}

/** Manifests and indexes of the image (its top and everything below). */
function manifestsOf(node: GraphNode, walk: GraphWalk): GraphNode[] {
  const out: GraphNode[] = [];
  const seen = new Set<string>();
  const queue = [node];
  for (let next = queue.pop(); next; next = queue.pop()) {
    if (seen.has(next.digest)) continue;
    seen.add(next.digest);
    out.push(next);
    for (const child of next.children) {
      const inner = walk.nodes.get(child);
      if (inner) queue.push(inner);
    }
  }
  return out;
}

/** Referrers whose subject is the image or one of its manifests, and referrers of those, in digest order. */
function referrersOf(node: GraphNode, walk: GraphWalk): string[] {
  const found = new Set<string>();
  const queue = manifestsOf(node, walk).map((n) => n.digest);
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const referrer of walk.referrersOf.get(next) ?? []) {
      if (found.has(referrer)) continue;
      found.add(referrer);
      queue.push(referrer);
    }
  }
  return [...found].sort();
}

/** Bytes of every blob reachable from the image's top descriptor, each once (referrers not included). */
function sizeOf(node: GraphNode, walk: GraphWalk): number {
  const blobs = new Set<string>();
  for (const manifest of manifestsOf(node, walk)) {
    blobs.add(manifest.digest);
    for (const child of manifest.children) blobs.add(child);
  }
  let total = 0;
  for (const digest of blobs) total += walk.reached.get(digest) ?? 0;
  return total;
}

/**
 * The walk from a layout's index.json over every descriptor it reaches (docs/bundle-format.md §15):
 * each one present in the bundle (or declared expected-present) with its exact size, of a known
 * media type for where it stands, manifests and indexes parsed and their own mediaType agreeing
 * with the descriptor, no loop, no nesting deeper than MAX_NESTING, each layer's declared
 * compression what its bytes are and the same wherever it is named (layer-compression.ts). Pure: the blobs come through
 * `blob()`, whose digests the bundle's BagIt manifest already proved (a blob's name is its hash).
 */
import { blobBagPath, OCI_IMAGES_FILE, OCI_INDEX_FILE } from '../layout-format.js';
import type { ExpectedPresentBlob } from '../images-file.js';
import {
  CONFIG_TYPES,
  isArtifact,
  isManifestType,
  LAYER_TYPES,
  parseDocumentAs,
  parseJsonBytes,
  parseLayoutIndex,
  type OciDescriptor,
  type OciDocument,
} from './documents.js';
import { configDisagreement, imageConfigFacts, type ImageConfigFacts } from './image-config.js';
import { declaredCompression, sameLayerType, type LayerCompression, type LayerFormat } from './layer-compression.js';

/** What the bundle holds for a digest. */
export type BlobState =
  /** Listed, delivered, and its bytes matched the signed manifest (whose hash is its name); `bytes` when kept (small JSON). */
  | {
      state: 'carried';
      size: number;
      bytes: Buffer | null;
      unkept?: string | undefined;
      /** What its first bytes are (layer-compression.ts); undefined: the caller did not look. */
      format?: LayerFormat | undefined;
    }
  /** Listed, but missing, refused or altered: that file's own problem is reported already. */
  | { state: 'unproven' }
  /** Not in the bundle at all. */
  | { state: 'absent' };

export type GraphCode = 'OCI_BLOB_MISSING' | 'OCI_DIGEST_MISMATCH' | 'OCI_GRAPH_INVALID';

export interface GraphFinding {
  code: GraphCode;
  detail: string;
  path: string;
}

/** index.json -> image index -> manifest is depth 2; nesting deeper than this is refused. */
export const MAX_NESTING = 8;

type Role = 'manifest' | 'config' | 'layer';

export interface GraphNode {
  digest: string;
  mediaType: string;
  doc: OciDocument;
  /** Digests of the manifests (index) or config and layers (manifest) it names. */
  children: string[];
}

export class GraphWalk {
  readonly findings: GraphFinding[] = [];
  /** Manifests and indexes parsed, by digest. */
  readonly nodes = new Map<string, GraphNode>();
  /** Every digest reached (carried or expected-present) and its size. */
  readonly reached = new Map<string, number>();
  /** Referrers (manifest digests) by the digest their subject names. */
  readonly referrersOf = new Map<string, string[]>();
  readonly expectedUsed = new Set<string>();
  /** index.json's own descriptors (the layout's images and referrers), once parsed. */
  top: OciDescriptor[] = [];
  /** A blob reached was missing, refused or altered (its own problem is reported): what lies below it is unknown. */
  incomplete = false;
  private readonly refused = new Set<string>();
  private readonly subjects: Array<{ referrer: string; subject: OciDescriptor }> = [];
  /** Each layer blob's compression as first named, and where: one blob is one compression under every name. */
  /** Each image config's facts (image-config.ts), by digest and type. */
  private readonly configs = new Map<string, ImageConfigFacts | null>();
  private readonly layerNamed = new Map<string, { compression: LayerCompression; mediaType: string; where: string }>();

  constructor(
    private readonly blob: (digest: string) => BlobState,
    private readonly expected: ReadonlyMap<string, ExpectedPresentBlob>,
  ) {}

  find(code: GraphCode, detail: string, path: string): void {
    this.findings.push({ code, detail, path });
  }

  /** Walks everything index.json reaches; false when index.json itself is unusable (reported). */
  walkFrom(indexBytes: Buffer): boolean {
    const json = parseJsonBytes(indexBytes, 'index.json');
    const index = typeof json === 'string' ? json : parseLayoutIndex(json.json);
    if (typeof index === 'string') {
      this.find('OCI_GRAPH_INVALID', index, OCI_INDEX_FILE);
      return false;
    }
    this.top = index.manifests;
    for (const [i, descriptor] of index.manifests.entries()) {
      this.visit(descriptor, 'manifest', false, 1, [], `manifests[${i}] of index.json`);
      // index.json's own descriptors may carry a platform too, and a client reading the layout picks by it.
      this.platformAgrees(OCI_INDEX_FILE, descriptor, `manifests[${i}] of index.json`);
    }
    for (const { referrer, subject } of this.subjects) {
      const node = this.nodes.get(subject.digest);
      // A subject that failed its own check (reported as such) leaves its referrers unjudged.
      if (!node && this.blob(subject.digest).state === 'unproven') this.incomplete = true;
      else if (!node)
        this.find(
          'OCI_GRAPH_INVALID',
          `The referrer ${referrer} names the subject ${subject.digest}, which is not a manifest in the bundle.`,
          blobBagPath(referrer),
        );
      else if (node.mediaType !== subject.mediaType || this.reached.get(subject.digest) !== subject.size)
        this.find(
          'OCI_DIGEST_MISMATCH',
          `The referrer ${referrer} describes its subject ${subject.digest} with another media type or size.`,
          blobBagPath(referrer),
        );
    }
    return true;
  }

  private visit(d: OciDescriptor, role: Role, inArtifact: boolean, depth: number, stack: readonly string[], where: string): void {
    const path = blobBagPath(d.digest);
    const known = knownForRole(d.mediaType, role, inArtifact);
    if (!known) this.find('OCI_GRAPH_INVALID', `${where} has the media type ${d.mediaType}, unknown for a ${role}.`, path);
    const held = this.blob(d.digest);
    if (role === 'layer') this.layerCompression(d, held, where);
    if (held.state === 'unproven') {
      this.incomplete = true;
      return;
    }
    if (held.state === 'absent') {
      if (known) this.expectedBlob(d, role, where);
      return;
    }
    // The blob is the bundle's (its name is its proven hash): a descriptor lying about its size is
    // reported, and the walk goes on below it, so one wrong size is one problem, not a cascade.
    if (held.size !== d.size) this.find('OCI_DIGEST_MISMATCH', `${where} says ${d.digest} is ${d.size} bytes; the bundle's blob is ${held.size} bytes.`, path);
    this.reached.set(d.digest, held.size);
    if (role !== 'manifest' || !known) return;
    if (stack.includes(d.digest)) {
      this.find('OCI_GRAPH_INVALID', `${where}: ${d.digest} reaches itself (a loop).`, path);
      return;
    }
    if (depth > MAX_NESTING) {
      this.find('OCI_GRAPH_INVALID', `${where}: indexes nest deeper than ${MAX_NESTING} levels.`, path);
      return;
    }
    const seen = this.nodes.get(d.digest);
    if (seen) {
      if (seen.mediaType !== d.mediaType)
        this.find('OCI_GRAPH_INVALID', `${where} names ${d.digest} as ${d.mediaType}; elsewhere it is ${seen.mediaType}.`, path);
      return;
    }
    if (this.refused.has(d.digest)) return;
    const doc = this.document(d, held.bytes, held.unkept, where);
    if (doc === null) {
      this.refused.add(d.digest);
      return;
    }
    const children = doc.kind === 'index' ? doc.manifests : [doc.config, ...doc.layers];
    this.nodes.set(d.digest, { digest: d.digest, mediaType: d.mediaType, doc, children: children.map((c) => c.digest) });
    if (doc.subject) {
      this.subjects.push({ referrer: d.digest, subject: doc.subject });
      const list = this.referrersOf.get(doc.subject.digest) ?? [];
      list.push(d.digest);
      this.referrersOf.set(doc.subject.digest, list);
    }
    const inner = [...stack, d.digest];
    if (doc.kind === 'index') {
      for (const [i, child] of doc.manifests.entries()) {
        this.visit(child, 'manifest', false, depth + 1, inner, `manifests[${i}] of ${d.digest}`);
        this.platformAgrees(path, child, `manifests[${i}] of ${d.digest}`);
      }
    } else {
      const artifact = isArtifact(doc);
      this.visit(doc.config, 'config', artifact, depth + 1, inner, `the config of ${d.digest}`);
      for (const [i, layer] of doc.layers.entries()) this.visit(layer, 'layer', artifact, depth + 1, inner, `layers[${i}] of ${d.digest}`);
      if (!artifact) this.configAgrees(d.digest, doc.config, doc.layers.length);
    }
  }

  private document(d: OciDescriptor, bytes: Buffer | null, unkept: string | undefined, where: string): OciDocument | null {
    const path = blobBagPath(d.digest);
    if (bytes === null) {
      this.find(
        'OCI_GRAPH_INVALID',
        `${where} names ${d.digest} as ${d.mediaType}, but ${unkept ?? 'that blob is not a JSON document of at most 4 MiB.'}`,
        path,
      );
      return null;
    }
    const json = parseJsonBytes(bytes, d.digest);
    const doc = typeof json === 'string' ? json : parseDocumentAs(json.json, d.mediaType, d.digest);
    if (typeof doc === 'string') {
      this.find('OCI_GRAPH_INVALID', doc, path);
      return null;
    }
    return doc;
  }

  /** An image config's rootfs against its manifest's layers (image-config.ts); a config that failed its own check is reported already. */
  private configAgrees(manifest: string, config: OciDescriptor, layerCount: number): void {
    const disagreement = configDisagreement(this.configFacts(config), layerCount);
    if (disagreement !== null) this.find('OCI_GRAPH_INVALID', `In the image manifest ${manifest}, ${disagreement}`, blobBagPath(config.digest));
  }

  /** A carried config's facts, parsed once per config and type: a thousand manifests sharing one 4 MiB config must not parse it a thousand times. */
  private configFacts(config: OciDescriptor): ImageConfigFacts | null {
    const key = `${config.digest} ${config.mediaType}`;
    if (this.configs.has(key)) return this.configs.get(key) ?? null;
    const held = this.blob(config.digest);
    const facts = held.state === 'carried' && held.bytes !== null ? imageConfigFacts(config.mediaType, held.bytes) : null;
    this.configs.set(key, facts);
    return facts;
  }

  /** An index's platform for a manifest against that manifest's config (image-config.ts): os and architecture. `indexPath`: where the finding points. */
  private platformAgrees(indexPath: string, child: OciDescriptor, where: string): void {
    const node = this.nodes.get(child.digest);
    if (!child.platform || node?.doc.kind !== 'manifest') return;
    const facts = this.configFacts(node.doc.config);
    if (!facts?.os || !facts.architecture) return;
    const { os, architecture } = child.platform;
    if (os !== facts.os || architecture !== facts.architecture)
      this.find(
        'OCI_GRAPH_INVALID',
        `${where} names ${child.digest} as ${os}/${architecture}; its config says ${facts.os}/${facts.architecture}: a client choosing by the index would run the wrong platform's image.`,
        indexPath,
      );
  }

  /**
   * A layer's media type against its bytes, and against the other names of the same blob. Grouped
   * by compression: an OCI and a Docker name for one gzip layer (shared between two manifests) is
   * fine; gzip here and zstd there is not, whichever the bytes are. Each blob's bytes are judged
   * once, where it is first named; a layer declared expected-present has no bytes here, only names.
   */
  private layerCompression(d: OciDescriptor, held: BlobState, where: string): void {
    const declared = declaredCompression(d.mediaType);
    if (declared === null) return;
    const path = blobBagPath(d.digest);
    const first = this.layerNamed.get(d.digest);
    if (first) {
      if (first.compression !== declared)
        this.find(
          'OCI_GRAPH_INVALID',
          `${where} names the layer ${d.digest} as ${d.mediaType} (${declared}); ${first.where} names it ${first.mediaType} (${first.compression}). One blob has one compression.`,
          path,
        );
      return;
    }
    this.layerNamed.set(d.digest, { compression: declared, mediaType: d.mediaType, where });
    if (held.state !== 'carried' || held.format === undefined || held.format === declared) return;
    const shown =
      held.format === 'unread'
        ? 'its first bytes could not be read to show its compression'
        : held.format === 'other'
          ? `its bytes are none of gzip, zstd or tar`
          : `its bytes are ${held.format}`;
    this.find('OCI_GRAPH_INVALID', `${where} names the layer ${d.digest} as ${d.mediaType} (${declared}), but ${shown}: a pull would fail to unpack it.`, path);
  }

  /** A descriptor whose blob the bundle does not carry: only a layer declared expected-present (--skip-blobs-in) may be left out. */
  private expectedBlob(d: OciDescriptor, role: Role, where: string): void {
    const path = blobBagPath(d.digest);
    const declared = this.expected.get(d.digest);
    if (!declared) {
      this.find('OCI_BLOB_MISSING', `${where} names ${d.digest}, which the bundle does not hold and does not declare expected-present.`, path);
      return;
    }
    if (role !== 'layer') {
      this.find('OCI_GRAPH_INVALID', `${where} names ${d.digest}, a ${role} declared expected-present: only layers may be left out of a bundle.`, path);
      return;
    }
    if (declared.size !== d.size) {
      this.find(
        'OCI_DIGEST_MISMATCH',
        `${where} says ${d.digest} is ${d.size} bytes; ${OCI_IMAGES_FILE} declares it expected-present with ${declared.size}.`,
        path,
      );
      return;
    }
    // One skipped layer may be named by an OCI and a Docker manifest: one compression, one layer (sameLayerType).
    if (!sameLayerType(declared.mediaType, d.mediaType)) {
      this.find(
        'OCI_GRAPH_INVALID',
        `${where} names ${d.digest} as ${d.mediaType}; ${OCI_IMAGES_FILE} declares it expected-present as ${declared.mediaType}, another kind of layer.`,
        path,
      );
      return;
    }
    this.reached.set(d.digest, d.size);
    this.expectedUsed.add(d.digest);
  }
}

function knownForRole(mediaType: string, role: Role, inArtifact: boolean): boolean {
  switch (role) {
    case 'manifest':
      return isManifestType(mediaType);
    case 'config':
      return inArtifact || CONFIG_TYPES.has(mediaType);
    case 'layer':
      return inArtifact || LAYER_TYPES.has(mediaType);
  }
}

/**
 * The OCI graph check inside the one payload pass (verify/inspectors.ts): while each file of
 * `data/oci/` streams through its BagIt hash, keep only what the graph needs — each blob's size
 * and whether its bytes matched the signed manifest, and the small JSON documents (oci-layout,
 * index.json, airlock-images.json, and blobs of at most 4 MiB whose first byte opens a JSON
 * object: manifests, indexes, configs) within a budget of 64 MiB. Bundle order is UTF-8 byte
 * order, so the blobs arrive before index.json says what they are: the walk waits for `finish`.
 *
 * Memory: one number and one byte per listed file (9 bytes; a layout of 10,000 blobs costs 90 kB) plus the
 * kept documents, never more than the budget. A blob the walk needs as a document but that was
 * not kept (over 4 MiB, not JSON, or beyond the budget) is a finding: never a pass.
 *
 * Each blob's first bytes (LAYER_HEAD_BYTES) are judged as it ends, one byte per listed file, so
 * the walk can hold a layer's media type to what its bytes are (layer-compression.ts): from the
 * chunks when the pass hands them over, else read again from where the pass put the blob (a large
 * blob hashed on the lanes: one read of 512 bytes, never the whole blob).
 */
import { problem, type Problem } from '../../../../shared/problems.js';
import type { FileInspection, InspectedFile, PayloadInspector } from '../../verify/inspectors.js';
import type { PayloadIndex } from '../../verify/payload-index.js';
import { closeSource } from '../../inspect/byte-sources.js';
import { OCI_BLOBS_PREFIX, OCI_IMAGES_FILE, OCI_INDEX_FILE, OCI_LAYOUT_FILE } from '../layout-format.js';
import type { ImageSummary } from '../../../../shared/images.js';
import { checkGraph, type BlobState } from './graph-check.js';
import { formatOfHead, LAYER_HEAD_BYTES, type LayerFormat } from './layer-compression.js';

/** A blob larger than this is never read as a manifest, index or config (distribution's own manifest limit). */
export const JSON_BLOB_MAX_BYTES = 4 * 1024 * 1024;
/** All blobs kept for the walk together (oci-layout, index.json and airlock-images.json, at most 4 MiB each, come on top). */
export const JSON_BUDGET_BYTES = 64 * 1024 * 1024;

const DOCUMENTS: ReadonlySet<string> = new Set([OCI_LAYOUT_FILE, OCI_INDEX_FILE, OCI_IMAGES_FILE]);
/** `{`, or JSON whitespace before it. */
const JSON_START: ReadonlySet<number> = new Set([0x7b, 0x20, 0x09, 0x0a, 0x0d]);

/** Per listed file: not delivered yet, delivered but not matching the manifest; else its size. */
const NOT_DELIVERED = -1;
const UNPROVEN = -2;

/** Per listed file, what its head showed (index into FORMATS; 0 until it ended verified). */
const FORMATS: readonly LayerFormat[] = ['unread', 'gzip', 'zstd', 'tar', 'other'];

export class LayoutInspector implements PayloadInspector {
  readonly name = 'oci-graph';
  private readonly sizes: Float64Array;
  private readonly formats: Uint8Array;
  private readonly kept = new Map<number, Buffer>();
  /** Ordinals of candidate documents left unkept because the budget was spent. */
  private readonly overBudget = new Set<number>();
  private budgetLeft = JSON_BUDGET_BYTES;
  private proven: ImageSummary[] | null = null;

  constructor(private readonly manifest: PayloadIndex) {
    this.sizes = new Float64Array(manifest.size).fill(NOT_DELIVERED);
    this.formats = new Uint8Array(manifest.size);
  }

  /** Bytes of blobs kept for the walk so far (never more than JSON_BUDGET_BYTES). */
  get keptBlobBytes(): number {
    return JSON_BUDGET_BYTES - this.budgetLeft;
  }

  /** The images, once finish() proved the graph; null before, or when it was refused. */
  get images(): ImageSummary[] | null {
    return this.proven;
  }

  inspect(file: InspectedFile): FileInspection | null {
    const isDocument = DOCUMENTS.has(file.path);
    if (!isDocument && !file.path.startsWith(OCI_BLOBS_PREFIX)) return null;
    const ordinal = this.manifest.ordinalOf(file.path);
    if (ordinal < 0) return null;
    const head = isDocument ? null : new HeadBytes(Math.min(file.size, LAYER_HEAD_BYTES));
    const ended = async (verified: boolean): Promise<Problem[]> => {
      if (head && verified) this.formats[ordinal] = FORMATS.indexOf(await head.format(file));
      return this.ended(ordinal, file.size, verified);
    };
    // Never a document to keep: only its size, verdict and head count (and verify need not read it here: verify/parallel/).
    if (head && file.size > JSON_BLOB_MAX_BYTES) return { readsBytes: false, update: (chunk) => head.take(chunk), end: ended };
    let buffer: Buffer | null = null;
    let filled = 0;
    let decided = false;
    const decide = (first: number): void => {
      decided = true;
      if (file.size > JSON_BLOB_MAX_BYTES || (!isDocument && !JSON_START.has(first))) return;
      if (isDocument) {
        buffer = Buffer.allocUnsafe(file.size);
        return;
      }
      if (file.size > this.budgetLeft) {
        this.overBudget.add(ordinal);
        return;
      }
      this.budgetLeft -= file.size;
      buffer = Buffer.allocUnsafe(file.size);
    };
    return {
      update: (chunk: Buffer): void => {
        if (!decided && chunk.length > 0) decide(chunk[0] as number);
        if (buffer) filled += chunk.copy(buffer, filled);
        head?.take(chunk);
      },
      end: (verified: boolean): Promise<Problem[]> => {
        const whole: Buffer | null = buffer;
        if (verified && whole !== null && filled === whole.length) this.kept.set(ordinal, whole);
        else if (whole !== null && !isDocument) this.budgetLeft += file.size;
        return ended(verified);
      },
    };
  }

  private ended(ordinal: number, size: number, verified: boolean): Problem[] {
    this.sizes[ordinal] = verified ? size : UNPROVEN;
    return [];
  }

  finish(): Problem[] {
    try {
      return this.check();
    } finally {
      this.kept.clear();
    }
  }

  private check(): Problem[] {
    const documents: Buffer[] = [];
    for (const path of [OCI_LAYOUT_FILE, OCI_INDEX_FILE, OCI_IMAGES_FILE]) {
      const ordinal = this.manifest.ordinalOf(path);
      // Not delivered, refused or altered: that file's own problem is reported; the graph cannot be walked.
      if (ordinal < 0 || (this.sizes[ordinal] as number) < 0) return [];
      const bytes = this.kept.get(ordinal);
      if (!bytes) return [problem('OCI_GRAPH_INVALID', this.unkeptReason(ordinal, path), path)];
      documents.push(bytes);
    }
    const [layoutBytes, indexBytes, imagesBytes] = documents as [Buffer, Buffer, Buffer];
    const result = checkGraph({ layoutBytes, indexBytes, imagesBytes, blob: (digest) => this.blob(digest), carried: () => this.carried() });
    this.proven = result.images;
    return result.findings.map((f) => problem(f.code, f.detail, f.path));
  }

  private unkeptReason(ordinal: number, what: string): string {
    if (this.overBudget.has(ordinal))
      return `${what} was not kept: the layout's JSON documents exceed ${JSON_BUDGET_BYTES / 1024 / 1024} MiB together, more than this station checks.`;
    return `${what} is over ${JSON_BLOB_MAX_BYTES / 1024 / 1024} MiB, or not a JSON object.`;
  }

  private blob(digest: string): BlobState {
    const path = OCI_BLOBS_PREFIX + digest.slice('sha256:'.length);
    const ordinal = this.manifest.ordinalOf(path);
    if (ordinal < 0) return { state: 'absent' };
    const size = this.sizes[ordinal] as number;
    if (size < 0) return { state: 'unproven' };
    const bytes = this.kept.get(ordinal) ?? null;
    return {
      state: 'carried',
      size,
      bytes,
      unkept: bytes === null && this.overBudget.has(ordinal) ? this.unkeptReason(ordinal, digest) : undefined,
      format: FORMATS[this.formats[ordinal] as number] ?? 'unread',
    };
  }

  private *carried(): Generator<string> {
    for (let ordinal = 0; ordinal < this.manifest.size; ordinal += 1) {
      const path = this.manifest.pathAt(ordinal);
      if (path.startsWith(OCI_BLOBS_PREFIX) && (this.sizes[ordinal] as number) >= 0) yield `sha256:${path.slice(OCI_BLOBS_PREFIX.length)}`;
    }
  }
}

/** A blob's first bytes, from the chunks as they pass, else read again from where the pass put the file. */
class HeadBytes {
  private readonly bytes: Buffer;
  private filled = 0;

  constructor(private readonly length: number) {
    this.bytes = Buffer.alloc(length);
  }

  take(chunk: Buffer): void {
    if (this.filled < this.length) this.filled += chunk.copy(this.bytes, this.filled, 0, this.length - this.filled);
  }

  async format(file: InspectedFile): Promise<LayerFormat> {
    if (this.filled === this.length) return formatOfHead(this.bytes);
    const source = file.reread?.() ?? null;
    if (source === null) return 'unread';
    try {
      const read = await source.read(0, this.length);
      return read.length === this.length ? formatOfHead(read) : 'unread';
    } finally {
      await closeSource(source);
    }
  }
}

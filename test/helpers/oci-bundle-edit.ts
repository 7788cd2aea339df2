/**
 * Edits of an image bundle's payload (layoutPayload()) for hostile-bundle tests: rewrite one JSON
 * blob and let every document that names it follow (new digest and size, up to index.json and
 * airlock-images.json), so exactly one hazard is left and BagIt itself still passes.
 */
import { createHash } from 'node:crypto';
import type { BagPayloadFile } from './hostile-tar.js';

export const BLOBS = 'data/oci/blobs/sha256/';

export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function blobPath(digest: string): string {
  return BLOBS + digest.slice(7);
}

export function fileAt(files: readonly BagPayloadFile[], path: string): BagPayloadFile {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in the payload`);
  return found;
}

export function jsonAt(files: readonly BagPayloadFile[], path: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(fileAt(files, path).content).toString('utf8')) as Record<string, unknown>;
}

export function blobJson(files: readonly BagPayloadFile[], digest: string): Record<string, unknown> {
  return jsonAt(files, blobPath(digest));
}

/** Bundle order: UTF-8 byte order of the paths. */
export function sorted(files: BagPayloadFile[]): BagPayloadFile[] {
  return files.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

function isDocument(file: BagPayloadFile): boolean {
  const bytes = Buffer.from(file.content);
  return file.path.startsWith('data/oci/') && bytes[0] === 0x7b;
}

/** Replaces descriptors of `from` (digest and size) and plain strings equal to `from`; true when anything changed. */
function retarget(value: unknown, from: string, to: string, size: number): { value: unknown; changed: boolean } {
  if (value === from) return { value: to, changed: true };
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const r = retarget(v, from, to, size);
      changed ||= r.changed;
      return r.value;
    });
    return { value: out, changed };
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    const isDescriptor = record.digest === from && typeof record.size === 'number';
    for (const [k, v] of Object.entries(record)) {
      if (isDescriptor && k === 'size') {
        out[k] = size;
        changed = true;
        continue;
      }
      const r = retarget(v, from, to, size);
      changed ||= r.changed;
      out[k] = r.value;
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

/**
 * Replaces the blob `digest` by `bytes` under its new digest, then every document naming it, and
 * so on up: returns the new payload (sorted) and the blob's new digest.
 */
export function replaceBlob(files: BagPayloadFile[], digest: string, bytes: Buffer): { files: BagPayloadFile[]; digest: string } {
  let out = files.filter((f) => f.path !== blobPath(digest));
  const next = sha256Digest(bytes);
  out.push({ path: blobPath(next), content: bytes });
  const queue: Array<[string, string, number]> = [[digest, next, bytes.length]];
  for (let item = queue.shift(); item; item = queue.shift()) {
    const [from, to, size] = item;
    const updated: BagPayloadFile[] = [];
    for (const file of out) {
      if (!isDocument(file) || file.path === blobPath(to)) {
        updated.push(file);
        continue;
      }
      const text = Buffer.from(file.content).toString('utf8');
      if (!text.includes(from.slice(7))) {
        updated.push(file);
        continue;
      }
      const pretty = file.path.endsWith('airlock-images.json');
      const r = retarget(JSON.parse(text), from, to, size);
      const content = Buffer.from(pretty ? JSON.stringify(r.value, null, 2) : JSON.stringify(r.value));
      if (file.path.startsWith(BLOBS)) {
        const old = `sha256:${file.path.slice(BLOBS.length)}`;
        const renamed = sha256Digest(content);
        updated.push({ path: blobPath(renamed), content });
        if (renamed !== old) queue.push([old, renamed, content.length]);
      } else {
        updated.push({ path: file.path, content });
      }
    }
    out = updated;
  }
  return { files: sorted(out), digest: next };
}

/** Rewrites a JSON blob with `edit` and lets its parents follow. */
export function editBlob(files: BagPayloadFile[], digest: string, edit: (doc: Record<string, unknown>) => void): { files: BagPayloadFile[]; digest: string } {
  const doc = blobJson(files, digest);
  edit(doc);
  return replaceBlob(files, digest, Buffer.from(JSON.stringify(doc)));
}

/** Rewrites a top-level JSON file (index.json, airlock-images.json) with `edit`. */
export function editFile(files: BagPayloadFile[], path: string, edit: (doc: Record<string, unknown>) => void): BagPayloadFile[] {
  const doc = jsonAt(files, path);
  edit(doc);
  return sorted(files.map((f) => (f.path === path ? { path, content: JSON.stringify(doc, null, path.endsWith('airlock-images.json') ? 2 : undefined) } : f)));
}

/** Adds a blob (stored under its digest) and returns its digest. */
export function addBlob(files: BagPayloadFile[], bytes: Buffer): { files: BagPayloadFile[]; digest: string } {
  const digest = sha256Digest(bytes);
  return { files: sorted([...files.filter((f) => f.path !== blobPath(digest)), { path: blobPath(digest), content: bytes }]), digest };
}

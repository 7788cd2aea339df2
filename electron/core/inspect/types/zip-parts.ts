/**
 * The parts of a zip package (an OOXML document) as its central directory lists them, read with
 * yauzl from a ByteSource: no file descriptor, no extraction. Only the parts asked for are
 * inflated, into memory, each within a byte budget (yauzl checks the declared sizes against the
 * bytes). A damaged central directory or a part that does not inflate is an error for the caller
 * to report, never an empty listing.
 */
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { displayText } from '../../../../shared/display-text.js';
import type { ByteSource } from '../contract.js';

/** A package with more parts than this is not inspected for macros (it is reported as unreadable). */
export const MAX_PACKAGE_PARTS = 20_000;

export class ZipPartsError extends Error {
  constructor(
    message: string,
    readonly encrypted = false,
  ) {
    super(message);
  }
}

export interface ZipPart {
  name: string;
  size: number;
  encrypted: boolean;
  /** The part's bytes (at most `limit`; a larger part is an error rather than a cut). */
  read(limit: number): Promise<Buffer>;
}

class SourceReader extends yauzl.RandomAccessReader {
  constructor(private readonly source: ByteSource) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    return this.source.stream(start, end);
  }
}

/** Calls `visit` for each part in central-directory order; `visit` returns false to stop early. */
export async function forEachZipPart(source: ByteSource, visit: (part: ZipPart) => Promise<boolean>, signal?: AbortSignal): Promise<void> {
  const zipfile = await openZip(source);
  try {
    if (zipfile.entryCount > MAX_PACKAGE_PARTS) throw new ZipPartsError(`the package lists ${zipfile.entryCount} parts, more than ${MAX_PACKAGE_PARTS}`);
    for (;;) {
      signal?.throwIfAborted();
      const entry = await nextEntry(zipfile);
      if (entry === null) return;
      const part: ZipPart = {
        name: partName(entry),
        size: entry.uncompressedSize,
        encrypted: entry.isEncrypted(),
        read: (limit) => readEntry(zipfile, entry, limit, signal),
      };
      if (!(await visit(part))) return;
    }
  } finally {
    zipfile.close();
  }
}

/**
 * The part's name as Office would see it. Names are decoded here (yauzl's decodeStrings is off) so
 * that a name yauzl would reject for extraction (absolute, `..`) is still looked at, not a reason
 * to stop looking: nothing is ever written under these names.
 */
function partName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  // General-purpose flag bit 11: the name is UTF-8; otherwise CP437, whose ASCII range is all that part names use.
  return raw.toString((entry.generalPurposeBitFlag & 0x800) !== 0 ? 'utf8' : 'latin1').replace(/\\/gu, '/');
}

function openZip(source: ByteSource): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false };
    yauzl.fromRandomAccessReader(new SourceReader(source), source.size, options, (error, zipfile) => {
      if (error !== null) reject(new ZipPartsError(error.message));
      else resolve(zipfile);
    });
  });
}

function nextEntry(zipfile: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      zipfile.off('entry', onEntry);
      zipfile.off('end', onEnd);
      zipfile.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry): void => {
      cleanup();
      resolve(entry);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new ZipPartsError(error.message));
    };
    zipfile.on('entry', onEntry);
    zipfile.on('end', onEnd);
    zipfile.on('error', onError);
    zipfile.readEntry();
  });
}

async function readEntry(zipfile: yauzl.ZipFile, entry: yauzl.Entry, limit: number, signal?: AbortSignal): Promise<Buffer> {
  if (entry.isEncrypted()) throw new ZipPartsError(`part ${displayText(partName(entry))} is encrypted`, true);
  if (entry.uncompressedSize > limit) throw new ZipPartsError(`part ${displayText(partName(entry))} is larger than ${limit} bytes`);
  const stream = await new Promise<Readable>((resolve, reject) => {
    zipfile.openReadStream(entry, (error, s) => {
      if (error !== null) reject(new ZipPartsError(`part ${displayText(partName(entry))}: ${error.message}`));
      else resolve(s);
    });
  });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      const bytes = chunk as Buffer;
      total += bytes.length;
      if (total > limit) throw new ZipPartsError(`part ${displayText(partName(entry))} inflates past ${limit} bytes`);
      chunks.push(bytes);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof ZipPartsError || signal?.aborted === true) throw error;
    throw new ZipPartsError(`part ${displayText(partName(entry))}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return Buffer.concat(chunks);
}

/**
 * Content inspection (issue #16; docs/inspection.md): the interfaces its parts are built against.
 *
 *   content inspector (content-inspector.ts, a PayloadInspector from verify/inspectors.ts)
 *     ├─ type detection  (types/)     detectType(head, name) → Promise<TypeDetection>; officeMacros(source)
 *     ├─ type policy     (types/)     typeFindings(detection, macros, policy.types, { polyglot, archives })
 *     ├─ archives        (archives/)  walkArchive(source, detection, limits, visit) — zip, tar, gzip
 *     └─ scanner         (clamd/, command-scanner.ts)  Scanner: status(), begin() → FileScan
 *
 * Inspection runs after authentication, on bytes whose checksum the payload pass is verifying,
 * in that same pass: each chunk of a payload file goes to the type sniffer and to the scanner's
 * stream as it is hashed. What needs random access (a zip's central directory, an Office file's
 * parts) reads the file again from where the pass put it (ByteSource): the staged copy in an
 * import, the bundle file at the entry's offset in verify. Nothing is ever expanded to disk
 * outside a private temp folder, and nothing of it reaches the destination.
 */
import type { Readable } from 'node:stream';
import type { ScannerStatus } from '../../../shared/inspection.js';
import type { ProblemCode } from '../../../shared/problems.js';

/** Verified bytes that can be read again at any offset (e.g. a staged file, or a tar entry inside the bundle file). */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `position` (fewer only at the end). */
  read(position: number, length: number, signal?: AbortSignal): Promise<Buffer>;
  /** The bytes from `start` to `end` (exclusive; default the end) as a stream. */
  stream(start?: number, end?: number): Readable;
}

/** What a file is, from its first bytes (and its name for the extension). */
export interface TypeDetection {
  /** Media type by content, null when nothing was recognised. */
  mime: string | null;
  /** The extension file-type would give the content (`pdf`), null when undetected. */
  detectedExtension: string | null;
  /** The name's extension, lower case without the dot; `tar.gz`-style double extensions kept whole. */
  extension: string | null;
  /** The extension names a type other than the content's (a known extension only; see types/). */
  mismatch: boolean;
  /** Executable (PE, ELF, Mach-O, ...) or script (shebang, .ps1/.vbs/.js/... by name). */
  executable: boolean;
  script: boolean;
  /** An archive walkArchive can open, or one it cannot (7z, rar, ...). */
  archive: 'zip' | 'tar' | 'gzip' | 'unsupported' | null;
  /** An Office container whose macros need a look inside (OOXML zip or OLE compound file). */
  office: 'ooxml' | 'ole' | null;
}

/** How many bytes of a file's head detectType needs (file-type reads up to this many). */
export const TYPE_SNIFF_BYTES = 4100;

/** A finding or warning raised by inspection, for one item. */
export interface ItemFinding {
  code: ProblemCode;
  /** `refuse` makes it a problem (the bundle is refused), `warn` only reports it. */
  severity: 'refuse' | 'warn';
  /** What this occurrence adds to the code's message (hostile names already escaped by the caller). */
  detail: string;
}

/** One member met while walking an archive tree. */
export interface ArchiveMemberVisit {
  /** Names from the outer archive inwards (the member's own name last). Hostile text. */
  members: string[];
  size: number;
  /** The member's bytes, read once; bounded by the limits (the walk stops the stream at a limit). */
  stream: Readable;
}

export interface ArchiveWalkLimits {
  maxDepth: number;
  maxEntries: number;
  maxExpandedBytes: number;
  maxRatio: number;
}

/**
 * Told of each zip opened inside the tree (`members`: its chain), with random access to its bytes,
 * before its members are walked: an Office package inside an archive gets its own checks (macros,
 * package structure) there. A rejection ends the walk with it, as from `visit`.
 */
export type NestedZipSeen = (members: string[], source: ByteSource) => Promise<void>;

/** Walks an archive (and archives inside it, depth-first) and shows each plain member to `visit`. */
export type WalkArchive = (
  source: ByteSource,
  kind: 'zip' | 'tar' | 'gzip',
  limits: ArchiveWalkLimits,
  visit: (member: ArchiveMemberVisit) => Promise<void>,
  signal?: AbortSignal,
  onNestedZip?: NestedZipSeen,
) => Promise<ArchiveWalkFinding[]>;

/** What stopped or limited a walk; each is a finding (or warning, by policy), never a silent pass. */
export interface ArchiveWalkFinding {
  code: 'ARCHIVE_LIMIT' | 'ARCHIVE_ENCRYPTED' | 'ARCHIVE_UNREADABLE';
  /** The archive (or member) concerned, names from the outer archive inwards; [] for the payload file itself. */
  members: string[];
  detail: string;
}

/** A scanner's verdict on one stream. Only `clean` counts as clean (issue #16.4). */
export interface ScanVerdict {
  outcome: 'clean' | 'found' | 'error' | 'unavailable';
  /** Signature name for `found`; the scanner's reply or the error text otherwise; null for `clean`. */
  detail: string | null;
}

/** One stream being scanned: write its bytes in order, then ask for the verdict. */
export interface FileScan {
  write(chunk: Buffer): Promise<void>;
  finish(): Promise<ScanVerdict>;
  /** Drop the scan (the file failed its checksum, or the operation was cancelled). */
  abort(): void;
}

export interface Scanner {
  readonly kind: 'clamd' | 'command';
  readonly address: string;
  /** Reachability, engine and database version and age (never throws: errors are in the status). */
  status(now: Date, signal?: AbortSignal): Promise<ScannerStatus>;
  /** Start scanning one stream; a scanner that cannot be reached gives a FileScan whose verdict is `unavailable`. */
  begin(signal?: AbortSignal): Promise<FileScan>;
  /** clamd RELOAD after a database update; a command scanner has nothing to reload. */
  reload?(signal?: AbortSignal): Promise<void>;
  /** Release connections. */
  close(): Promise<void>;
}

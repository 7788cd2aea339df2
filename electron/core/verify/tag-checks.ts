import { problem, type Problem } from '../../../shared/problems.js';
import { bagInfoValue, parseBagInfo, parsePayloadOxum, type PayloadOxum } from '../bundle/bag-info.js';
import { EntryRegistry } from '../bundle/entry-registry.js';
import { BAG_INFO_NAME, BAGIT_TXT_NAME, INFO, MANIFEST_NAME, PAYLOAD_DIR, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../bundle/format.js';
import { manifestSlices, parseManifest, parseManifestLine, sliceLines } from '../bundle/manifest.js';
import { checkStructuralPath, type PathLimits } from '../bundle/path-rules.js';
import { MemoryDigests, type DigestColumn } from '../compact/digest-column.js';
import { ListedFiles, PayloadIndex } from './payload-index.js';

// ignoreBOM: a byte-order mark stays in the text rather than vanishing silently (it is refused below).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function bomProblem(name: string): Problem {
  return problem('MANIFEST_INVALID', `${name} begins with a byte-order mark; tag files are UTF-8 without one (RFC 8493 §2.1.1).`, name);
}

/**
 * Tag files are UTF-8 without a byte-order mark (bagit.txt says so; RFC 8493 §2.1.1 forbids the
 * BOM in bagit.txt, and Airlock holds every tag file to it): invalid bytes or a BOM are a
 * malformed bag, not something to guess at. A UTF-16 or UTF-32 BOM is not valid UTF-8.
 */
export function decodeTagFile(name: string, bytes: Uint8Array): { text: string } | { problem: Problem } {
  if (startsWithBom(bytes)) return { problem: bomProblem(name) };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { problem: problem('MANIFEST_INVALID', `${name} is not valid UTF-8.`, name) };
  }
}

export function checkBagitTxt(text: string): Problem | null {
  // LF, CRLF or CR, as in every tag file the reader reads (docs/bundle-format.md section 5).
  if (/^BagIt-Version: 1\.0(?:\r\n|\r|\n)Tag-File-Character-Encoding: UTF-8(?:\r\n|\r|\n)?$/u.test(text)) return null;
  return problem('MANIFEST_INVALID', 'bagit.txt must be exactly "BagIt-Version: 1.0" and "Tag-File-Character-Encoding: UTF-8".', BAGIT_TXT_NAME);
}

export interface BagInfoFacts {
  uuid: string | null;
  station: string | null;
  operator: string | null;
  sequence: number | null;
  created: string | null;
  formatVersion: string | null;
  oxum: PayloadOxum | null;
}

/**
 * The labels whose value Airlock acts on (the Oxum check, the replay guard, the report): each may
 * appear once. Airlock reads the first occurrence; another BagIt reader may read the last, or all
 * of them, so a second one makes one signed bag say two things (a second Payload-Oxum that other
 * tools check, a second External-Identifier for the audit log's readers). The channel stamp's
 * labels have the same rule (channel-stamp.ts).
 */
const SINGLE_LABELS = [INFO.payloadOxum, INFO.externalIdentifier, INFO.formatVersion, INFO.station, INFO.operator, INFO.sequence, INFO.created];

function repeatedLabel(info: ReadonlyArray<{ label: string }>): string | null {
  for (const label of SINGLE_LABELS) {
    const wanted = label.toLowerCase();
    let count = 0;
    for (const field of info) if (field.label.toLowerCase() === wanted) count += 1;
    if (count > 1) return `${label} appears ${count} times; it may appear once`;
  }
  return null;
}

export function readBagInfoFacts(text: string): { facts: BagInfoFacts } | { problem: Problem } {
  const parsed = parseBagInfo(text);
  if (!parsed.ok) return { problem: problem('MANIFEST_INVALID', `bag-info.txt: ${parsed.reason}.`, BAG_INFO_NAME) };
  const repeated = repeatedLabel(parsed.info);
  if (repeated !== null) return { problem: problem('MANIFEST_INVALID', `bag-info.txt: ${repeated}.`, BAG_INFO_NAME) };
  const oxumText = bagInfoValue(parsed.info, INFO.payloadOxum);
  const oxum = oxumText === undefined ? null : parsePayloadOxum(oxumText);
  if (oxumText !== undefined && oxum === null) {
    return { problem: problem('MANIFEST_INVALID', `bag-info.txt: Payload-Oxum "${oxumText}" is not "<octets>.<files>".`, BAG_INFO_NAME) };
  }
  const sequenceText = bagInfoValue(parsed.info, INFO.sequence);
  const sequence = sequenceText !== undefined && /^\d{1,15}$/u.test(sequenceText) ? Number(sequenceText) : null;
  return {
    facts: {
      uuid: bagInfoValue(parsed.info, INFO.externalIdentifier) ?? null,
      station: bagInfoValue(parsed.info, INFO.station) ?? null,
      operator: bagInfoValue(parsed.info, INFO.operator) ?? null,
      sequence,
      created: bagInfoValue(parsed.info, INFO.created) ?? null,
      formatVersion: bagInfoValue(parsed.info, INFO.formatVersion) ?? null,
      oxum,
    },
  };
}

/** The signed tag manifest: which tag files it covers, with their checksums. */
export function readTagManifest(text: string): { entries: Map<string, string> } | { problem: Problem } {
  const parsed = parseManifest(text);
  if (!parsed.ok) return { problem: problem('MANIFEST_INVALID', `tagmanifest-sha256.txt: ${parsed.reason}.`, TAGMANIFEST_NAME) };
  const entries = new Map<string, string>();
  for (const entry of parsed.entries) {
    const structural = checkStructuralPath(entry.path);
    if (!structural.ok) return { problem: problem('UNSAFE_PATH', `tagmanifest-sha256.txt lists "${entry.path}": ${structural.reason}.`, TAGMANIFEST_NAME) };
    if (entry.path === PAYLOAD_DIR || entry.path.startsWith(`${PAYLOAD_DIR}/`)) {
      return {
        problem: problem(
          'MANIFEST_INVALID',
          `tagmanifest-sha256.txt lists the payload file "${entry.path}"; tag manifests list tag files only.`,
          TAGMANIFEST_NAME,
        ),
      };
    }
    if (entry.path === TAGMANIFEST_NAME || entry.path === SIGNATURE_NAME) {
      return { problem: problem('MANIFEST_INVALID', `tagmanifest-sha256.txt lists "${entry.path}", which it cannot cover.`, TAGMANIFEST_NAME) };
    }
    if (entries.has(entry.path)) return { problem: problem('DUPLICATE_ENTRY', `tagmanifest-sha256.txt lists "${entry.path}" twice.`, TAGMANIFEST_NAME) };
    entries.set(entry.path, entry.sha256);
  }
  for (const required of [BAGIT_TXT_NAME, MANIFEST_NAME]) {
    if (!entries.has(required)) {
      return {
        problem: problem('MANIFEST_INVALID', `tagmanifest-sha256.txt does not cover ${required}, so the signature would not protect it.`, TAGMANIFEST_NAME),
      };
    }
  }
  return { entries };
}

/**
 * The payload manifest: bag paths (`data/...`) to checksums; every path safe and unique.
 * Decoded and parsed a slice at a time and stopped at the station's file limit, so a manifest
 * listing more files than the station takes is refused without building the rest.
 */
export function readPayloadManifest(bytes: Uint8Array, limits: PathLimits & { maxEntries: number }): PayloadManifestRead {
  const steps = payloadManifestSteps(bytes, limits);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

export type PayloadManifestRead = { entries: PayloadIndex } | { problem: Problem };

/** How far a paced parse has got (payloadManifestSteps). */
export interface ManifestParseStep {
  /** Lines parsed so far. */
  lines: number;
  /** Lines in the manifest (line feeds counted up front; a last line without one is not). */
  linesTotal: number;
  /** Bytes of the slices parsed whole so far. */
  bytes: number;
}

/** Lines parsed between two steps: a few milliseconds of work on a loaded machine. */
export const MANIFEST_LINES_PER_STEP = 2000;

/**
 * readPayloadManifest in steps: yields after every `linesPerStep` lines, so a caller can report
 * progress, check its abort signal and let the event loop run (a 200,000-line manifest is
 * seconds of parsing on a loaded machine: issue #18's progress stall).
 */
export function* payloadManifestSteps(
  bytes: Uint8Array,
  limits: PathLimits & { maxEntries: number },
  linesPerStep = MANIFEST_LINES_PER_STEP,
): Generator<ManifestParseStep, PayloadManifestRead> {
  if (startsWithBom(bytes)) return { problem: bomProblem(MANIFEST_NAME) };
  const parser = new ManifestParser(countLines(bytes), limits, linesPerStep);
  // The first step only announces the totals: a caller starts its phase with them.
  yield parser.step();
  for (const slice of manifestSlices(bytes)) {
    const refused = yield* parser.slice(slice);
    if (refused) return { problem: refused };
  }
  return { entries: parser.entries };
}

/**
 * The payload manifest's parse, fed slices that each end at a line feed (or at the manifest's
 * end): from bytes held whole (payloadManifestSteps) or read back from the bundle file a chunk at
 * a time (steps/manifest-read.ts), with the same checks and results either way.
 */
export class ManifestParser {
  readonly entries: PayloadIndex;
  // One name registry: the index holds the listed files, the registry only their folders.
  private readonly registry = new EntryRegistry();
  private number = 0;
  private parsedBytes = 0;

  /**
   * @param linesTotal line feeds in the manifest (sizes the index: grown by doubling, its checksum buffer left ~as much again in garbage).
   * @param digests where the index keeps the checksums (compact/digest-column.ts); by default in memory.
   */
  constructor(
    private readonly linesTotal: number,
    private readonly limits: PathLimits & { maxEntries: number },
    private readonly linesPerStep = MANIFEST_LINES_PER_STEP,
    digests?: DigestColumn,
  ) {
    const capacity = Math.min(linesTotal, limits.maxEntries) + 1;
    this.entries = new PayloadIndex(capacity, digests ?? new MemoryDigests(capacity));
    this.registry.useStore(new ListedFiles(this.entries));
  }

  step(): ManifestParseStep {
    return { lines: this.number, linesTotal: this.linesTotal, bytes: this.parsedBytes };
  }

  /** Parse one slice (whole lines: it ends at a line feed or at the manifest's end); yields every `linesPerStep` lines; returns a refusal, else null. */
  *slice(slice: Uint8Array): Generator<ManifestParseStep, Problem | null> {
    let text: string;
    try {
      text = utf8.decode(slice);
    } catch {
      return problem('MANIFEST_INVALID', `${MANIFEST_NAME} is not valid UTF-8 (after line ${this.number}).`, MANIFEST_NAME);
    }
    for (const line of sliceLines(text)) {
      this.number += 1;
      if (this.number > this.limits.maxEntries) {
        return problem(
          'LIMIT_EXCEEDED',
          `manifest-sha256.txt lists more than ${this.limits.maxEntries} files; the limit is ${this.limits.maxEntries}.`,
          MANIFEST_NAME,
        );
      }
      const refused = addManifestLine(line, this.number, this.limits, this.entries, this.registry);
      if (refused) return refused;
      if (this.number % this.linesPerStep === 0) yield this.step();
    }
    this.parsedBytes += slice.length;
    return null;
  }
}

/** A manifest's first bytes: a byte-order mark is refused (decodeTagFile's rule, for a manifest read in chunks). */
export function manifestBomProblem(first: Uint8Array): Problem | null {
  return startsWithBom(first) ? bomProblem(MANIFEST_NAME) : null;
}

/** Line feeds in `bytes` (an upper bound on the manifest's entries, less one for a last line without one). */
function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) count += 1;
  return count;
}

function addManifestLine(line: string, number: number, limits: PathLimits, entries: PayloadIndex, registry: EntryRegistry): Problem | null {
  const entry = parseManifestLine(line);
  if (!entry) return problem('MANIFEST_INVALID', `manifest-sha256.txt: line ${number} is not "<sha256>  <path>".`, MANIFEST_NAME);
  if (!entry.path.startsWith(`${PAYLOAD_DIR}/`)) {
    return problem('MANIFEST_INVALID', `manifest-sha256.txt lists "${entry.path}", which is outside data/.`, MANIFEST_NAME);
  }
  const structural = checkStructuralPath(entry.path, limits);
  if (!structural.ok) {
    return problem(
      structural.kind === 'limit' ? 'LIMIT_EXCEEDED' : 'UNSAFE_PATH',
      `manifest-sha256.txt lists "${entry.path}": ${structural.reason}.`,
      entry.path,
    );
  }
  // No copy of the path here: the index keeps its bytes, the registry copies the folder names it keeps.
  const path = entry.path;
  const verdict = registry.addFile(path);
  if (!verdict.ok) return problem('DUPLICATE_ENTRY', `manifest-sha256.txt: ${verdict.reason}.`, entry.path);
  entries.add(path, entry.sha256);
  return null;
}

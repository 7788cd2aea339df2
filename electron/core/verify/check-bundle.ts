import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import type { ReadEntry } from 'tar';
import { problem, type Problem, type ProblemCode } from '../../../shared/problems.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { FileOutcome, SignerInfo, VerifyResult } from '../../../shared/results.js';
import { EntryRegistry } from '../bundle/entry-registry.js';
import { ManifestLineCounter } from '../bundle/manifest.js';
import { BAG_INFO_NAME, BAGIT_TXT_NAME, FETCH_NAME, FORMAT_VERSION, MANIFEST_NAME, PAYLOAD_DIR, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../bundle/format.js';
import { checkStructuralPath, portabilityFindings, type PortabilityRules } from '../bundle/path-rules.js';
import { ArchiveError, entryKind, readTarEntries } from '../bundle/tar-entries.js';
import { verifyDetachedSignature, type TrustedKey } from '../crypto/detached-signature.js';
import { sha256, sha256Hex } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted } from '../errors.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { DEFAULT_LIMITS, type BundleLimits } from '../policy/limits.js';
import { policyFindings, type LimitKind } from '../policy/policy-findings.js';
import { requiredSignersShortfall, type StationPolicy } from '../policy/station-policy.js';
import { FileTally } from './file-results.js';
import { NO_PAYLOAD_ROWS, PayloadIndex, SeenPaths, VerifiedPayload, type PayloadRows } from './payload-index.js';
import { checkBagitTxt, decodeTagFile, readBagInfoFacts, readPayloadManifest, readTagManifest, type BagInfoFacts } from './tag-checks.js';

/** Receives the bytes of each listed payload file as they stream (import writes them to staging). */
export interface PayloadSink {
  openFile(payloadPath: string, size: number): Promise<PayloadFileWriter>;
}
export interface PayloadFileWriter {
  write(chunk: Buffer): Promise<void>;
  /** Called once: `verified` is true only when the file's checksum matched the signed manifest. */
  close(verified: boolean): Promise<void>;
}

/** The archive's bytes from somewhere other than one file: a split bundle's parts chained in order, or an uncached read. */
export interface BundleSource {
  /** null when unknown (a bundle piped on stdin): progress then counts bytes without a total. */
  size: number | null;
  open(signal?: AbortSignal): Readable;
}

export interface CheckBundleOptions {
  /** The bundle file; with `source`, only the name reported for it. */
  bundlePath: string;
  source?: BundleSource | undefined;
  trusted: readonly TrustedKey[];
  limits?: BundleLimits;
  now?: Date | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  payloadSink?: PayloadSink;
  /**
   * Import: at the first problem stop feeding the payload sink (nothing more is written), but
   * read on as verify does, so import refuses a bundle with the same problems verify reports
   * (a later entry can explain an earlier problem: a second copy of a file whose first copy
   * failed its checksum is a duplicate). Problems that end verification end it here too.
   */
  failFast?: boolean;
  /**
   * Name rules of the receiving station (control/bidi characters, names Windows cannot hold),
   * applied to every manifest path before any payload is read. Verify leaves them out: they
   * say whether this station will write a name, not whether the bundle is authentic.
   */
  portability?: PortabilityRules;
  /**
   * Name rules to report without refusing (verify): paths that break them are counted in the
   * policy findings, so the operator learns before importing that import would refuse them.
   */
  reportNames?: PortabilityRules;
  /** Most problems about single entries listed (PROBLEM_CAP by default); the rest are counted in one problem per code. */
  problemCap?: number;
  /** Most failed and intact files listed in the per-file results (FILE_RESULT_CAP by default). */
  fileResultCap?: { ok: number; failed: number };
  /**
   * Runs once the tag manifest is authenticated and the manifest parsed, before a byte of
   * payload is read: import's replay guard and policy. Problems it returns reject the bundle.
   */
  afterAuthentication?: (facts: AuthenticatedFacts) => Promise<Problem[]>;
  /** Two-person rule; default: one trusted signer is enough. */
  requiredSigners?: StationPolicy['requiredSigners'];
  /** Allowance for signatures dated after `now`. */
  clockSkewSeconds?: number;
}

export interface AuthenticatedFacts {
  name: string;
  signers: SignerInfo[];
  tagmanifestSha256: string;
  uuid: string | null;
  sequence: number | null;
  station: string | null;
  files: number;
  bytes: number | null;
}

export interface CheckBundleResult extends VerifyResult {
  /** Payload paths (`data/...`) with their verified checksums and sizes, in archive order (read one row at a time). */
  payload: PayloadRows;
}

/** node-tar ends an entry early when the archive is cut short; the header's size is what was promised. */
function assertWhole(entry: ReadEntry, received: number): void {
  if (received !== entry.size) throw new ArchiveError(`"${entry.path}" ends after ${received} of its ${entry.size} bytes: the archive is truncated`);
}

/** Payload or tag manifests for algorithms other than SHA-256: format v1 does not verify them, so it refuses them. */
const OTHER_MANIFEST = /^(tag)?manifest-(?!sha256\.txt$)[^/]+\.txt$/u;

/** Problems about single entries listed in a report; beyond this, one summary problem per code. */
export const PROBLEM_CAP = 1000;

/** The sink's writer for a payload file, or 'exists' when the sink already holds a file by that name (its open is exclusive). */
async function openStaged(sink: PayloadSink, rel: string, size: number): Promise<PayloadFileWriter | 'exists'> {
  try {
    return await sink.openFile(rel.slice(PAYLOAD_DIR.length + 1), size);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  }
}

/** Tag files a bag cannot be authenticated without: refusing one ends verification. */
const REQUIRED_TAGS = new Set([BAGIT_TXT_NAME, MANIFEST_NAME, TAGMANIFEST_NAME, SIGNATURE_NAME]);

/** A problem after which reading on would mean trusting what was not proven. */
class Fatal extends Error {}


/**
 * The verify pipeline (docs/bundle-format.md §Verification): read the tag files first,
 * authenticate the tag manifest by a trusted fingerprint before trusting any manifest, check
 * bagit.txt, bag-info and Payload-Oxum, then stream the payload once, hashing every entry,
 * and check completeness both ways. The bundle is read once, front to back.
 */
export async function checkBundle(options: CheckBundleOptions): Promise<CheckBundleResult> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const now = options.now ?? new Date();
  const { signal } = options;
  const problems: Problem[] = [];
  // Problems about single entries are listed up to a cap and counted beyond it (by code), so a
  // bundle with a million bad files gives a report of bounded size; bundle-level ones always list.
  const problemCap = options.problemCap ?? PROBLEM_CAP;
  let entryProblems = 0;
  const unlisted = new Map<ProblemCode, number>();
  const add = (code: ProblemCode, detail?: string, path?: string): void => {
    if (path !== undefined) {
      entryProblems += 1;
      if (entryProblems > problemCap) {
        unlisted.set(code, (unlisted.get(code) ?? 0) + 1);
        return;
      }
    }
    problems.push(problem(code, detail, path));
  };
  const tracker = new ProgressTracker(options.onProgress);
  // Per-file results and policy observations: counters and capped lists only, whatever the bundle's size.
  const tally = new FileTally(options.fileResultCap);
  const fileRow = (path: string, size: number | null, outcome: FileOutcome, code: ProblemCode | null): void => tally.record(path, size, outcome, code);
  const limitHits: Partial<Record<LimitKind, string>> = {};
  const limitHit = (kind: LimitKind, detail: string): void => {
    limitHits[kind] ??= detail;
  };
  let signatureChecked = false;
  let signatureProblem: Problem | null = null;
  let futureDated: string[] = [];
  let signersShortfall: string | null | undefined;
  let largestFile = 0;
  let deepestPath = 0;
  let longestPathBytes = 0;
  let structuralNameProblems = 0;
  let complete = false;
  /** Manifest paths refused (by the name rules) before their file was read. */
  let refusedUnread = 0;
  const nameRules = options.portability ?? options.reportNames ?? null;
  const nameBreaks = { count: 0, examples: [] as string[] };
  const nameBreak = (path: string): void => {
    nameBreaks.count += 1;
    if (nameBreaks.examples.length < 5) nameBreaks.examples.push(path);
  };
  /** A structural refusal of an entry's name: an unsafe path or a duplicate. */
  const refuseName = (code: 'UNSAFE_PATH' | 'DUPLICATE_ENTRY', detail: string, path: string, size: number | null): void => {
    structuralNameProblems += 1;
    fileRow(path, size, 'refused-name', code);
    add(code, detail, path);
  };

  let fileSize: number | null = options.source ? options.source.size : 0;
  if (!options.source) try {
    const stats = await stat(options.bundlePath);
    if (!stats.isFile()) throw new AirlockError('BUNDLE_UNREADABLE', `${options.bundlePath} is not a file.`, { path: options.bundlePath });
    fileSize = stats.size;
  } catch (error) {
    if (error instanceof AirlockError) throw error;
    throw new AirlockError('BUNDLE_UNREADABLE', `${options.bundlePath}: ${(error as Error).message}`, { path: options.bundlePath, cause: error });
  }

  let top: string | null = null;
  let phase: 'tags' | 'payload' = 'tags';
  const tagBytes = new Map<string, Buffer>();
  const lateTagHashes = new Map<string, string>();
  const registry = new EntryRegistry();
  let signers: SignerInfo[] = [];
  let tagEntries: Map<string, string> | null = null;
  // The signed manifest, compact (payload-index.ts): a bundle may list a million files.
  let manifest: PayloadIndex | null = null;
  let facts: BagInfoFacts | null = null;
  let tagmanifestSha256: string | null = null;
  const seen = new SeenPaths();
  let payload = null as VerifiedPayload | null;
  let entryCount = 0;
  let payloadBytes = 0;
  let payloadFiles = 0;

  const fail = (code: ProblemCode, detail?: string, path?: string): never => {
    // The problem that stopped verification is always listed, whatever the cap.
    problems.push(problem(code, detail, path));
    throw new Fatal();
  };
  const failWith = (found: Problem): never => {
    problems.push(found);
    throw new Fatal();
  };
  // Import writes nothing after the first problem; it reads on only to report what verify would.
  let writing = true;
  const afterProblem = (): void => {
    if (options.failFast && problems.length > 0) writing = false;
  };
  /** Listed problems a later name clash explains (the entry was one of two copies): CHECKSUM_MISMATCH, FILE_UNLISTED. Bounded by the problem cap. */
  const explainable = new Map<string, Problem>();
  const addExplainable = (code: 'CHECKSUM_MISMATCH' | 'FILE_UNLISTED', detail: string, path: string): void => {
    const before = problems.length;
    add(code, detail, path);
    if (problems.length > before) explainable.set(path, problems[problems.length - 1] as Problem);
  };
  /**
   * A listed path clashing with an earlier entry makes that entry's problem a consequence of the
   * duplicate (its first copy failed its checksum; an unlisted twin of it came first): the
   * duplicate is reported instead. A clash between unlisted entries explains nothing.
   */
  const explainedBy = (clash: string, path: string): void => {
    const earlier = explainable.get(clash);
    if (!earlier || !(manifest as PayloadIndex | null)?.has(path)) return;
    explainable.delete(clash);
    problems.splice(problems.indexOf(earlier), 1);
    entryProblems -= 1;
  };

  const authenticate = async (): Promise<void> => {
    tracker.startPhase('verifying-signature');
    for (const name of tagBytes.keys()) {
      if (OTHER_MANIFEST.test(name)) {
        fail('MANIFEST_INVALID', `${name}: bundle format v1 uses SHA-256 manifests only.`, name);
      }
    }
    const signature = tagBytes.get(SIGNATURE_NAME);
    const tagmanifest = tagBytes.get(TAGMANIFEST_NAME);
    if (!tagmanifest) fail('MANIFEST_INVALID', 'There is no tagmanifest-sha256.txt before the payload.', TAGMANIFEST_NAME);
    if (!signature) {
      signatureChecked = true;
      signatureProblem = problem('SIGNATURE_MISSING', 'There is no tagmanifest-sha256.txt.asc before the payload.', SIGNATURE_NAME);
      failWith(signatureProblem);
    }
    const tagmanifestBytes = tagmanifest as Buffer;
    const signatureText = decodeTagFile(SIGNATURE_NAME, signature as Buffer);
    if ('problem' in signatureText) failWith(signatureText.problem);
    const check = await verifyDetachedSignature(tagmanifestBytes, (signatureText as { text: string }).text, options.trusted, now, { clockSkewMs: (options.clockSkewSeconds ?? 0) * 1000 });
    throwIfAborted(signal);
    signatureChecked = true;
    futureDated = check.futureDated ?? [];
    if (check.problems.length > 0) {
      signatureProblem = check.problems[0] ?? null;
      problems.push(...check.problems);
      throw new Fatal();
    }
    signers = check.signers;
    if (options.requiredSigners) {
      signersShortfall = requiredSignersShortfall(options.requiredSigners, signers);
      if (signersShortfall) fail('POLICY_DENIED', signersShortfall, SIGNATURE_NAME);
    }
    tagmanifestSha256 = sha256Hex(tagmanifestBytes);

    // Only now is the tag manifest authenticated; everything else is trusted through it.
    const tagText = decodeTagFile(TAGMANIFEST_NAME, tagmanifestBytes);
    if ('problem' in tagText) failWith(tagText.problem);
    const tags = readTagManifest((tagText as { text: string }).text);
    if ('problem' in tags) failWith(tags.problem);
    tagEntries = (tags as { entries: Map<string, string> }).entries;
    for (const [name, bytes] of tagBytes) {
      if (name === TAGMANIFEST_NAME || name === SIGNATURE_NAME) continue;
      const expected = tagEntries.get(name);
      if (expected === undefined) fail('FILE_UNLISTED', `The tag file ${name} is not covered by the signed tag manifest.`, name);
      if (sha256Hex(bytes) !== expected) fail('CHECKSUM_MISMATCH', `The tag file ${name} differs from what was signed.`, name);
    }
    if (tagBytes.has(BAG_INFO_NAME) && !tagEntries.has(BAG_INFO_NAME)) fail('FILE_UNLISTED', undefined, BAG_INFO_NAME);

    const bagit = tagBytes.get(BAGIT_TXT_NAME);
    if (!bagit) fail('MANIFEST_INVALID', 'There is no bagit.txt before the payload.', BAGIT_TXT_NAME);
    const bagitText = decodeTagFile(BAGIT_TXT_NAME, bagit as Buffer);
    if ('problem' in bagitText) failWith(bagitText.problem);
    const bagitProblem = checkBagitTxt((bagitText as { text: string }).text);
    if (bagitProblem) failWith(bagitProblem);

    const bagInfo = tagBytes.get(BAG_INFO_NAME);
    if (bagInfo) {
      const infoText = decodeTagFile(BAG_INFO_NAME, bagInfo);
      if ('problem' in infoText) failWith(infoText.problem);
      const read = readBagInfoFacts((infoText as { text: string }).text);
      if ('problem' in read) failWith(read.problem);
      facts = (read as { facts: BagInfoFacts }).facts;
      const version = facts.formatVersion;
      if (version !== null && version !== String(FORMAT_VERSION)) {
        fail('MANIFEST_INVALID', `bag-info.txt declares Airlock-Format-Version ${version}; this Airlock reads version ${FORMAT_VERSION}. Update Airlock on this station.`, BAG_INFO_NAME);
      }
    }

    const manifestBytes = tagBytes.get(MANIFEST_NAME);
    if (!manifestBytes) fail('MANIFEST_INVALID', 'There is no manifest-sha256.txt before the payload.', MANIFEST_NAME);
    const parsed = readPayloadManifest(manifestBytes as Buffer, limits);
    if ('problem' in parsed) {
      const found = parsed.problem;
      if (found.code === 'LIMIT_EXCEEDED') limitHit(found.path === MANIFEST_NAME ? 'files' : 'paths', found.message);
      if (found.code === 'UNSAFE_PATH' || found.code === 'DUPLICATE_ENTRY') {
        structuralNameProblems += 1;
        if (found.path !== undefined) fileRow(found.path, null, 'refused-name', found.code);
      }
      failWith(found);
    }
    manifest = (parsed as { entries: PayloadIndex }).entries;
    // Read: from here only its presence matters, and it may be a hundred megabytes.
    tagBytes.set(MANIFEST_NAME, Buffer.alloc(0));
    seen.attach(manifest);
    payload = new VerifiedPayload(manifest);
    const oxum = (facts as BagInfoFacts | null)?.oxum;
    if (oxum && oxum.streams !== manifest.size) {
      fail('PAYLOAD_OXUM_MISMATCH', `Payload-Oxum declares ${oxum.streams} files; the manifest lists ${manifest.size}.`, BAG_INFO_NAME);
    }
    if (options.portability) {
      for (const path of manifest.paths()) {
        const findings = portabilityFindings(path, options.portability);
        if (findings.length > 0) {
          nameBreak(path);
          refusedUnread += 1;
          fileRow(path, null, 'refused-name', 'UNSAFE_PATH');
          fail('UNSAFE_PATH', `"${path}": ${findings.join('; ')} (refused by station policy).`, path);
        }
      }
    } else if (options.reportNames) {
      // Verify: count what import would refuse, refuse nothing (name rules are import policy).
      const topName = top as string;
      if (topName.startsWith('.') || portabilityFindings(topName, options.reportNames).length > 0) nameBreak(topName);
      for (const path of manifest.paths()) if (portabilityFindings(path, options.reportNames).length > 0) nameBreak(path);
    }
    // Import's own gate (replay, destination) only for a bundle nothing has refused yet: what verify reports is what import reports.
    if (options.afterAuthentication && problems.length === 0) {
      const gate = await options.afterAuthentication({
        name: top as string,
        signers,
        tagmanifestSha256: tagmanifestSha256 as string,
        uuid: (facts as BagInfoFacts | null)?.uuid ?? null,
        sequence: (facts as BagInfoFacts | null)?.sequence ?? null,
        station: (facts as BagInfoFacts | null)?.station ?? null,
        files: manifest.size,
        bytes: oxum?.octets ?? null,
      });
      if (gate.length > 0) {
        for (const found of gate) if (found.code === 'UNSAFE_PATH') nameBreak(found.path ?? (top as string));
        problems.push(...gate);
        throw new Fatal();
      }
    }
    tracker.startPhase('verifying-payload', { bytes: fileSize, files: manifest.size });
  };

  const readWhole = async (entry: ReadEntry, max: number, name: string): Promise<Buffer> => {
    if (entry.size > max) limitHit('file-bytes', `The tag file ${name} is ${entry.size} bytes; the limit for tag files is ${max}.`);
    if (entry.size > max) fail('LIMIT_EXCEEDED', `The tag file ${name} is ${entry.size} bytes; the limit is ${max}.`, name);
    // One buffer of the declared size (at most `max`), filled as chunks arrive: a list of chunks
    // and their concatenation held the manifest twice (two hundred megabytes at the file limit).
    const bytes = Buffer.allocUnsafe(entry.size);
    let received = 0;
    // The manifest's lines are counted as they arrive: one listing more files than the station takes is refused unread.
    const lines = name === MANIFEST_NAME ? new ManifestLineCounter() : null;
    for await (const chunk of entry) {
      received += (chunk as Buffer).copy(bytes, received);
      if (!lines) continue;
      lines.add(chunk as Buffer);
      if (lines.lines > limits.maxEntries) {
        limitHit('files', `manifest-sha256.txt lists more than ${limits.maxEntries} files.`);
        fail('LIMIT_EXCEEDED', `manifest-sha256.txt lists more than ${limits.maxEntries} files; the limit is ${limits.maxEntries}.`, MANIFEST_NAME);
      }
    }
    assertWhole(entry, received);
    return bytes;
  };

  /** The entry's SHA-256 (32 bytes), each chunk handed to `writer` as it is hashed. */
  const hashEntry = async (entry: ReadEntry, writer: PayloadFileWriter | null): Promise<Buffer> => {
    const hash = sha256();
    let received = 0;
    for await (const chunk of entry) {
      hash.update(chunk as Buffer);
      received += (chunk as Buffer).length;
      if (writer) await writer.write(chunk as Buffer);
    }
    assertWhole(entry, received);
    return hash.digest();
  };

  // Read chunks of 256 KiB, not 1 MiB: a chunk of small entries lives while its ~2,000 entries are
  // checked, long enough to be promoted to V8's old generation, where it waits for a full GC; with
  // 1 MiB chunks that garbage reached ~90 MB (peak RSS 270 MB verifying 200,000 empty files, 210 now).
  const source = options.source ? options.source.open(signal) : createReadStream(options.bundlePath, { highWaterMark: 1 << 18, ...(signal ? { signal } : {}) });
  tracker.startPhase('verifying-signature', { bytes: fileSize });
  try {
    for await (const entry of readTarEntries(source, (n) => tracker.addBytes(n))) {
      throwIfAborted(signal);
      entryCount += 1;
      if (entryCount > limits.maxEntries) {
        limitHit('files', `The archive has more than ${limits.maxEntries} entries.`);
        fail('LIMIT_EXCEEDED', `The archive has more than ${limits.maxEntries} entries.`);
      }
      const kind = entryKind(entry);
      let path = entry.path;
      if (kind === 'directory' && path.endsWith('/')) path = path.slice(0, -1);
      if (kind === 'other') {
        // Refused, not absent: a listed path arriving as a link is not also FILE_MISSING.
        if (top !== null && path.startsWith(`${top}/`)) seen.add(path.slice(top.length + 1));
        fileRow(path, null, 'refused-type', 'UNSAFE_ENTRY_TYPE');
        add('UNSAFE_ENTRY_TYPE', `"${path}" is a ${entry.type} entry.`, path);
        afterProblem();
        continue;
      }
      const slash = path.indexOf('/');
      const first = slash < 0 ? path : path.slice(0, slash);
      if (top === null) {
        const topCheck = checkStructuralPath(first, limits);
        if (!topCheck.ok && topCheck.kind === 'limit' && first.length > 0) {
          // Too long for this station is a limit, with the limit's next step, not an unsafe name.
          limitHit('paths', `The bag's top directory "${first}": ${topCheck.reason}.`);
          fileRow(path, kind === 'file' ? entry.size : null, 'refused-limit', 'LIMIT_EXCEEDED');
          fail('LIMIT_EXCEEDED', `The bag's top directory "${first}": ${topCheck.reason}.`, path);
        }
        if (!topCheck.ok || first.length === 0) {
          refuseName('UNSAFE_PATH', `The bag's top directory "${first}" is unsafe.`, path, kind === 'file' ? entry.size : null);
          throw new Fatal();
        }
        top = first;
      }
      if (first !== top) {
        refuseName('UNSAFE_PATH', `"${path}" is outside the bag's top directory "${top}".`, path, kind === 'file' ? entry.size : null);
        afterProblem();
        continue;
      }
      const rel = slash < 0 ? '' : path.slice(slash + 1);
      if (rel === '') {
        if (kind === 'directory') continue;
        refuseName('UNSAFE_PATH', `A file is named like the bag's top directory "${top}".`, path, entry.size);
        throw new Fatal();
      }
      const depth = rel.split('/').length;
      if (depth > deepestPath) deepestPath = depth;
      const relBytes = Buffer.byteLength(rel, 'utf8');
      if (relBytes > longestPathBytes) longestPathBytes = relBytes;
      const structural = checkStructuralPath(rel, limits);
      if (!structural.ok) {
        const size = kind === 'file' ? entry.size : null;
        // A tag file the bag needs, refused: authentication cannot follow, and saying so would only repeat this problem.
        const neededTag = phase === 'tags' && REQUIRED_TAGS.has(rel);
        if (structural.kind === 'limit') {
          limitHit('paths', `"${path}": ${structural.reason}.`);
          fileRow(rel, size, 'refused-limit', 'LIMIT_EXCEEDED');
          add('LIMIT_EXCEEDED', `"${path}": ${structural.reason}.`, rel);
        } else {
          refuseName('UNSAFE_PATH', `"${path}": ${structural.reason}.`, rel, size);
        }
        if (neededTag) throw new Fatal();
        if (kind === 'file') seen.add(rel);
        afterProblem();
        continue;
      }
      // A listed file is registered under the manifest's own copy of its path (held once, payload-index.ts).
      const registered = kind === 'directory' ? registry.addDirectory(rel) : registry.addFile((manifest as PayloadIndex | null)?.held(rel) ?? rel);
      if (!registered.ok) {
        // The entry it clashes with is explained by the clash: one problem, DUPLICATE_ENTRY, whichever copy came first.
        explainedBy(registered.clash, rel);
        refuseName('DUPLICATE_ENTRY', `${registered.reason}.`, rel, kind === 'file' ? entry.size : null);
        if (phase === 'tags' && REQUIRED_TAGS.has(rel)) throw new Fatal();
        if (kind === 'file') seen.add(rel);
        afterProblem();
        continue;
      }
      if (kind === 'directory') continue;

      if (rel.startsWith(`${PAYLOAD_DIR}/`)) {
        if (phase === 'tags') {
          phase = 'payload';
          await authenticate();
        }
        const files = manifest as PayloadIndex | null;
        if (!files) throw new Fatal();
        if (entry.size > largestFile) largestFile = entry.size;
        if (entry.size > limits.maxFileBytes) {
          limitHit('file-bytes', `"${rel}" is ${entry.size} bytes; the limit is ${limits.maxFileBytes}.`);
          fileRow(rel, entry.size, 'refused-limit', 'LIMIT_EXCEEDED');
          add('LIMIT_EXCEEDED', `"${rel}" is ${entry.size} bytes; the limit is ${limits.maxFileBytes}.`, rel);
          seen.add(rel);
          afterProblem();
          continue;
        }
        // Unlisted first: an added file is that file's problem, not an intact file's Oxum overrun.
        const expected = files.ordinalOf(rel);
        if (expected < 0) {
          fileRow(rel, entry.size, 'unlisted', 'FILE_UNLISTED');
          addExplainable('FILE_UNLISTED', `"${rel}" is not in manifest-sha256.txt.`, rel);
          afterProblem();
          continue;
        }
        payloadBytes += entry.size;
        if (payloadBytes > limits.maxTotalBytes) {
          limitHit('total-bytes', `The payload exceeds ${limits.maxTotalBytes} bytes at "${rel}".`);
          fileRow(rel, entry.size, 'refused-limit', 'LIMIT_EXCEEDED');
          fail('LIMIT_EXCEEDED', `The payload exceeds ${limits.maxTotalBytes} bytes.`, rel);
        }
        const oxum = (facts as BagInfoFacts | null)?.oxum;
        if (oxum && payloadBytes > oxum.octets) fail('PAYLOAD_OXUM_MISMATCH', `The payload holds more than the ${oxum.octets} bytes Payload-Oxum declares.`, rel);
        const writer = options.payloadSink && writing ? await openStaged(options.payloadSink, rel, entry.size) : null;
        if (writer === 'exists') {
          // The destination's file system took two names the collision key keeps apart for one: still a duplicate, not an I/O error.
          seen.add(rel);
          refuseName('DUPLICATE_ENTRY', `"${rel}" lands on a file already written: the destination's file system treats the two names as one.`, rel, entry.size);
          afterProblem();
          continue;
        }
        let actual: Buffer;
        try {
          actual = await hashEntry(entry, writer);
        } catch (error) {
          await writer?.close(false);
          throw error;
        }
        seen.add(rel);
        payloadFiles += 1;
        tracker.addFiles(1);
        const matches = files.matches(expected, actual);
        await writer?.close(matches);
        if (!matches) {
          fileRow(rel, entry.size, 'checksum-mismatch', 'CHECKSUM_MISMATCH');
          addExplainable('CHECKSUM_MISMATCH', `"${rel}" differs from the signed manifest.`, rel);
          afterProblem();
          continue;
        }
        fileRow(rel, entry.size, 'ok', null);
        payload?.add(expected, entry.size);
        continue;
      }

      // A tag file.
      if (rel === FETCH_NAME) fail('MANIFEST_INVALID', 'The bag has a fetch.txt: its payload would come from elsewhere. Airlock accepts complete bags only.', rel);
      if (phase === 'tags') {
        const max = rel === MANIFEST_NAME ? limits.maxManifestBytes : limits.maxTagFileBytes;
        tagBytes.set(rel, await readWhole(entry, max, rel));
      } else {
        if (OTHER_MANIFEST.test(rel)) fail('MANIFEST_INVALID', `${rel}: bundle format v1 uses SHA-256 manifests only.`, rel);
        if (entry.size > limits.maxTagFileBytes) {
          limitHit('file-bytes', `The tag file ${rel} is ${entry.size} bytes; the limit for tag files is ${limits.maxTagFileBytes}.`);
          fail('LIMIT_EXCEEDED', `The tag file ${rel} is ${entry.size} bytes.`, rel);
        }
        lateTagHashes.set(rel, (await hashEntry(entry, null)).toString('hex'));
      }
    }
    if (phase === 'tags') await authenticate();
  } catch (error) {
    if (error instanceof ArchiveError) {
      if (error.kind === 'unsafe-type' && error.path !== undefined) fileRow(error.path, null, 'refused-type', 'UNSAFE_ENTRY_TYPE');
      add(error.kind === 'unsafe-type' ? 'UNSAFE_ENTRY_TYPE' : 'ARCHIVE_CORRUPT', `${error.message}.`, error.kind === 'unsafe-type' ? error.path : undefined);
    } else if (!(error instanceof Fatal)) {
      source.destroy();
      if (signal?.aborted) throw new AirlockError('CANCELLED');
      throw error;
    }
    source.destroy();
    return finish();
  }

  complete = true;
  // Completeness both ways, and the late tag files against the signed tag manifest.
  const files = manifest as PayloadIndex | null;
  if (files) {
    for (const path of files.unseen()) {
      fileRow(path, null, 'missing', 'FILE_MISSING');
      add('FILE_MISSING', `"${path}" is listed but not in the bundle.`, path);
    }
  }
  const tags = tagEntries as Map<string, string> | null;
  if (tags) {
    for (const [name, hash] of lateTagHashes) {
      const expected = tags.get(name);
      if (expected === undefined) add('FILE_UNLISTED', `The tag file ${name} is not covered by the signed tag manifest.`, name);
      else if (expected !== hash) add('CHECKSUM_MISMATCH', `The tag file ${name} differs from what was signed.`, name);
    }
    for (const name of tags.keys()) {
      if (!tagBytes.has(name) && !lateTagHashes.has(name)) add('FILE_MISSING', `The tag file ${name} is listed in the tag manifest but not in the bundle.`, name);
    }
  }
  const oxum = (facts as BagInfoFacts | null)?.oxum;
  if (oxum && (oxum.octets !== payloadBytes || oxum.streams !== payloadFiles) && problems.length === 0) {
    add('PAYLOAD_OXUM_MISMATCH', `Payload-Oxum declares ${oxum.octets}.${oxum.streams}; the bundle holds ${payloadBytes}.${payloadFiles}.`, BAG_INFO_NAME);
  }
  tracker.flush();
  return finish();

  function finish(): CheckBundleResult {
    for (const [code, count] of unlisted) {
      problems.push(problem(code, `${count} more ${count === 1 ? 'entry has' : 'entries have'} this problem; the report lists the first ${problemCap} problems about single entries (the per-file results count them all).`));
    }
    unlisted.clear();
    const f = facts as BagInfoFacts | null;
    const ok = problems.length === 0 && signers.length > 0;
    const listed = manifest as PayloadIndex | null;
    // Listed files never reached: neither hashed nor refused by name before reading.
    const notChecked = complete || !listed ? 0 : Math.max(0, listed.size - seen.size - refusedUnread);
    return {
      ok,
      bundle: {
        name: top,
        path: options.bundlePath,
        uuid: f?.uuid ?? null,
        station: f?.station ?? null,
        operator: f?.operator ?? null,
        sequence: f?.sequence ?? null,
        created: f?.created ?? null,
        files: payloadFiles,
        bytes: payloadBytes,
        tagmanifestSha256,
      },
      signers,
      problems,
      files: tally.result({ notChecked, complete }),
      policy: policyFindings({
        limits,
        requiredSigners: options.requiredSigners,
        clockSkewSeconds: options.clockSkewSeconds ?? 0,
        now,
        signatureChecked,
        signers,
        futureDated,
        signatureProblem,
        signersShortfall,
        manifestFiles: listed?.size ?? null,
        entries: entryCount,
        payloadBytes,
        largestFile,
        deepestPath,
        longestPathBytes,
        limitHits,
        names: nameRules ? { rules: nameRules, count: nameBreaks.count, examples: nameBreaks.examples, enforced: options.portability !== undefined } : null,
        structuralNameProblems,
        complete,
      }),
      payload: ok && payload ? payload : NO_PAYLOAD_ROWS,
    };
  }
}

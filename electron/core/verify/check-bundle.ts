import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import type { ReadEntry } from 'tar';
import { problem, type Problem, type ProblemCode } from '../../../shared/problems.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { SignerInfo, VerifyResult } from '../../../shared/results.js';
import { EntryRegistry } from '../bundle/entry-registry.js';
import { BAG_INFO_NAME, BAGIT_TXT_NAME, FETCH_NAME, FORMAT_VERSION, MANIFEST_NAME, PAYLOAD_DIR, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../bundle/format.js';
import { checkStructuralPath, portabilityFindings, type PortabilityRules } from '../bundle/path-rules.js';
import { ArchiveError, entryKind, readTarEntries } from '../bundle/tar-entries.js';
import { verifyDetachedSignature, type TrustedKey } from '../crypto/detached-signature.js';
import { sha256, sha256Hex } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted } from '../errors.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { DEFAULT_LIMITS, type BundleLimits } from '../policy/limits.js';
import { requiredSignersShortfall, type StationPolicy } from '../policy/station-policy.js';
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
  size: number;
  open(signal?: AbortSignal): Readable;
}

export interface CheckBundleOptions {
  /** The bundle file; with `source`, only the name reported for it. */
  bundlePath: string;
  source?: BundleSource;
  trusted: readonly TrustedKey[];
  limits?: BundleLimits;
  now?: Date;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  payloadSink?: PayloadSink;
  /** Stop at the first problem (import) rather than collect every one (verify's report). */
  failFast?: boolean;
  /**
   * Name rules of the receiving station (control/bidi characters, names Windows cannot hold),
   * applied to every manifest path before any payload is read. Verify leaves them out: they
   * say whether this station will write a name, not whether the bundle is authentic.
   */
  portability?: PortabilityRules;
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
  /** Payload paths (`data/...`) with their verified checksums and sizes, in archive order. */
  payload: Array<{ path: string; sha256: string; size: number }>;
}

/** node-tar ends an entry early when the archive is cut short; the header's size is what was promised. */
function assertWhole(entry: ReadEntry, received: number): void {
  if (received !== entry.size) throw new ArchiveError(`"${entry.path}" ends after ${received} of its ${entry.size} bytes: the archive is truncated`);
}

/** Payload or tag manifests for algorithms other than SHA-256: format v1 does not verify them, so it refuses them. */
const OTHER_MANIFEST = /^(tag)?manifest-(?!sha256\.txt$)[^/]+\.txt$/u;

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
  const add = (code: ProblemCode, detail?: string, path?: string): void => {
    problems.push(problem(code, detail, path));
  };
  const tracker = new ProgressTracker(options.onProgress);

  let fileSize = options.source?.size ?? 0;
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
  let manifest: Map<string, string> | null = null;
  let facts: BagInfoFacts | null = null;
  let tagmanifestSha256: string | null = null;
  const seen = new Set<string>();
  const payload: CheckBundleResult['payload'] = [];
  let entryCount = 0;
  let payloadBytes = 0;
  let payloadFiles = 0;

  const fail = (code: ProblemCode, detail?: string, path?: string): never => {
    add(code, detail, path);
    throw new Fatal();
  };
  const failWith = (found: Problem): never => {
    problems.push(found);
    throw new Fatal();
  };
  const afterProblem = (): void => {
    if (options.failFast && problems.length > 0) throw new Fatal();
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
    if (!signature) fail('SIGNATURE_MISSING', 'There is no tagmanifest-sha256.txt.asc before the payload.', SIGNATURE_NAME);
    const tagmanifestBytes = tagmanifest as Buffer;
    const signatureText = decodeTagFile(SIGNATURE_NAME, signature as Buffer);
    if ('problem' in signatureText) failWith(signatureText.problem);
    const check = await verifyDetachedSignature(tagmanifestBytes, (signatureText as { text: string }).text, options.trusted, now, { clockSkewMs: (options.clockSkewSeconds ?? 0) * 1000 });
    throwIfAborted(signal);
    if (check.problems.length > 0) {
      problems.push(...check.problems);
      throw new Fatal();
    }
    signers = check.signers;
    if (options.requiredSigners) {
      const shortfall = requiredSignersShortfall(options.requiredSigners, signers);
      if (shortfall) fail('POLICY_DENIED', shortfall, SIGNATURE_NAME);
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
    const manifestText = decodeTagFile(MANIFEST_NAME, manifestBytes as Buffer);
    if ('problem' in manifestText) failWith(manifestText.problem);
    const parsed = readPayloadManifest((manifestText as { text: string }).text, limits);
    if ('problem' in parsed) failWith(parsed.problem);
    manifest = (parsed as { entries: Map<string, string> }).entries;
    const oxum = (facts as BagInfoFacts | null)?.oxum;
    if (oxum && oxum.streams !== manifest.size) {
      fail('PAYLOAD_OXUM_MISMATCH', `Payload-Oxum declares ${oxum.streams} files; the manifest lists ${manifest.size}.`, BAG_INFO_NAME);
    }
    if (options.portability) {
      for (const path of manifest.keys()) {
        const findings = portabilityFindings(path, options.portability);
        if (findings.length > 0) fail('UNSAFE_PATH', `"${path}": ${findings.join('; ')} (refused by station policy).`, path);
      }
    }
    if (options.afterAuthentication) {
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
        problems.push(...gate);
        throw new Fatal();
      }
    }
    tracker.startPhase('verifying-payload', { bytes: fileSize, files: manifest.size });
  };

  const readWhole = async (entry: ReadEntry, max: number, name: string): Promise<Buffer> => {
    if (entry.size > max) fail('LIMIT_EXCEEDED', `The tag file ${name} is ${entry.size} bytes; the limit is ${max}.`, name);
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    assertWhole(entry, bytes.length);
    return bytes;
  };

  const hashEntry = async (entry: ReadEntry, writer: PayloadFileWriter | null): Promise<string> => {
    const hash = sha256();
    let received = 0;
    for await (const chunk of entry) {
      hash.update(chunk as Buffer);
      received += (chunk as Buffer).length;
      if (writer) await writer.write(chunk as Buffer);
    }
    assertWhole(entry, received);
    return hash.digest('hex');
  };

  const source = options.source ? options.source.open(signal) : createReadStream(options.bundlePath, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  tracker.startPhase('verifying-signature', { bytes: fileSize });
  try {
    for await (const entry of readTarEntries(source, (n) => tracker.addBytes(n))) {
      throwIfAborted(signal);
      entryCount += 1;
      if (entryCount > limits.maxEntries) fail('LIMIT_EXCEEDED', `The archive has more than ${limits.maxEntries} entries.`);
      const kind = entryKind(entry);
      let path = entry.path;
      if (kind === 'directory' && path.endsWith('/')) path = path.slice(0, -1);
      if (kind === 'other') {
        add('UNSAFE_ENTRY_TYPE', `"${path}" is a ${entry.type} entry.`, path);
        afterProblem();
        continue;
      }
      const slash = path.indexOf('/');
      const first = slash < 0 ? path : path.slice(0, slash);
      if (top === null) {
        const topCheck = checkStructuralPath(first, limits);
        if (!topCheck.ok || first.length === 0) fail('UNSAFE_PATH', `The bag's top directory "${first}" is unsafe.`, path);
        top = first;
      }
      if (first !== top) {
        add('UNSAFE_PATH', `"${path}" is outside the bag's top directory "${top}".`, path);
        afterProblem();
        continue;
      }
      const rel = slash < 0 ? '' : path.slice(slash + 1);
      if (rel === '') {
        if (kind === 'directory') continue;
        fail('UNSAFE_PATH', `A file is named like the bag's top directory "${top}".`, path);
      }
      const structural = checkStructuralPath(rel, limits);
      if (!structural.ok) {
        add(structural.kind === 'limit' ? 'LIMIT_EXCEEDED' : 'UNSAFE_PATH', `"${path}": ${structural.reason}.`, rel);
        afterProblem();
        continue;
      }
      const registered = kind === 'directory' ? registry.addDirectory(rel) : registry.addFile(rel);
      if (!registered.ok) {
        add('DUPLICATE_ENTRY', `${registered.reason}.`, rel);
        afterProblem();
        continue;
      }
      if (kind === 'directory') continue;

      if (rel.startsWith(`${PAYLOAD_DIR}/`)) {
        if (phase === 'tags') {
          phase = 'payload';
          await authenticate();
        }
        const files = manifest as Map<string, string> | null;
        if (!files) throw new Fatal();
        if (entry.size > limits.maxFileBytes) {
          add('LIMIT_EXCEEDED', `"${rel}" is ${entry.size} bytes; the limit is ${limits.maxFileBytes}.`, rel);
          afterProblem();
          continue;
        }
        // Unlisted first: an added file is that file's problem, not an intact file's Oxum overrun.
        const expected = files.get(rel);
        if (expected === undefined) {
          add('FILE_UNLISTED', `"${rel}" is not in manifest-sha256.txt.`, rel);
          afterProblem();
          continue;
        }
        payloadBytes += entry.size;
        if (payloadBytes > limits.maxTotalBytes) fail('LIMIT_EXCEEDED', `The payload exceeds ${limits.maxTotalBytes} bytes.`, rel);
        const oxum = (facts as BagInfoFacts | null)?.oxum;
        if (oxum && payloadBytes > oxum.octets) fail('PAYLOAD_OXUM_MISMATCH', `The payload holds more than the ${oxum.octets} bytes Payload-Oxum declares.`, rel);
        const writer = options.payloadSink ? await options.payloadSink.openFile(rel.slice(PAYLOAD_DIR.length + 1), entry.size) : null;
        let actual: string;
        try {
          actual = await hashEntry(entry, writer);
        } catch (error) {
          await writer?.close(false);
          throw error;
        }
        seen.add(rel);
        payloadFiles += 1;
        tracker.addFiles(1);
        const matches = actual === expected;
        await writer?.close(matches);
        if (!matches) {
          add('CHECKSUM_MISMATCH', `"${rel}" differs from the signed manifest.`, rel);
          afterProblem();
          continue;
        }
        payload.push({ path: rel, sha256: actual, size: entry.size });
        continue;
      }

      // A tag file.
      if (rel === FETCH_NAME) fail('MANIFEST_INVALID', 'The bag has a fetch.txt: its payload would come from elsewhere. Airlock accepts complete bags only.', rel);
      if (phase === 'tags') {
        const max = rel === MANIFEST_NAME ? limits.maxManifestBytes : limits.maxTagFileBytes;
        tagBytes.set(rel, await readWhole(entry, max, rel));
      } else {
        if (OTHER_MANIFEST.test(rel)) fail('MANIFEST_INVALID', `${rel}: bundle format v1 uses SHA-256 manifests only.`, rel);
        if (entry.size > limits.maxTagFileBytes) fail('LIMIT_EXCEEDED', `The tag file ${rel} is ${entry.size} bytes.`, rel);
        lateTagHashes.set(rel, await hashEntry(entry, null));
      }
    }
    if (phase === 'tags') await authenticate();
  } catch (error) {
    if (error instanceof ArchiveError) {
      add(error.kind === 'unsafe-type' ? 'UNSAFE_ENTRY_TYPE' : 'ARCHIVE_CORRUPT', `${error.message}.`);
    } else if (!(error instanceof Fatal)) {
      source.destroy();
      if (signal?.aborted) throw new AirlockError('CANCELLED');
      throw error;
    }
    source.destroy();
    return finish();
  }

  // Completeness both ways, and the late tag files against the signed tag manifest.
  const files = manifest as Map<string, string> | null;
  if (files) {
    for (const path of files.keys()) if (!seen.has(path)) add('FILE_MISSING', `"${path}" is listed but not in the bundle.`, path);
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
    const f = facts as BagInfoFacts | null;
    const ok = problems.length === 0 && signers.length > 0;
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
      payload: ok ? payload : [],
    };
  }
}

/**
 * Content inspection in the one payload pass (issue #16.5; docs/inspection.md), a PayloadInspector
 * (verify/inspectors.ts) built from the station policy's `inspect` section. Per payload file, each
 * chunk goes to the type sniff (its first TYPE_SNIFF_BYTES) and to the scanner's stream as it is
 * hashed; nothing reads the payload a second time. At the file's end, only when its checksum
 * matched: the type policy, the scan verdict, and, for what needs random access (an archive to
 * walk, an Office file's macros), a read back through a ByteSource (byte-sources.ts). Every
 * archive member gets the type policy and its own scan; its findings name the member chain.
 *
 * Memory per file is bounded (the sniffed head, a scanner's buffer); per bundle, the summary keeps
 * counters and capped lists (inspection-tally.ts). Fail closed throughout: a scan that does not say
 * `clean`, a limit hit, an archive that cannot be read are findings, never a pass.
 */
import { getMaxListeners, setMaxListeners } from 'node:events';
import type { InspectionSummary, ScannerStatus } from '../../../shared/inspection.js';
import type { Problem } from '../../../shared/problems.js';
import { AirlockError } from '../errors.js';
import type { InspectPolicy } from '../policy/inspect-policy.js';
import type { FileInspection, InspectedFile, PayloadInspector } from '../verify/inspectors.js';
import { closeSource, SpoolFile } from './byte-sources.js';
import { TYPE_SNIFF_BYTES, type ByteSource, type FileScan, type ItemFinding, type Scanner, type TypeDetection } from './contract.js';
import type { InspectionParts } from './inspection-parts.js';
import { TailWindow } from './types/polyglot.js';
import { InspectionTally } from './inspection-tally.js';
import { byRule, itemProblem, NOT_SCANNED, settleItem, walkFinding, type ItemObservation, type ItemSettling } from './item-verdict.js';
import { inspectMember, inspectNestedPackage, PackageChains } from './member-inspection.js';
import { mismatchReasons, NO_OFFICE_CHECKS, officeChecks, officeChecksWanted } from './office-checks.js';
import { scannerReadiness, type Readiness } from './scanner-readiness.js';
import { MAX_PENDING_SCANS, PendingVerdicts } from './scan-verdicts.js';

export interface ContentInspectorOptions {
  policy: InspectPolicy;
  /** The scanner the policy names (null when it names none); the station closes it. */
  scanner: Scanner | null;
  /** Its status, asked before the bundle was opened. */
  scannerStatus: ScannerStatus | null;
  parts: InspectionParts;
  signal?: AbortSignal | undefined;
  /** Override the summary's list caps (tests). */
  caps?: { flagged: number; clean: number } | undefined;
}

export class ContentInspector implements PayloadInspector {
  readonly name = 'content-inspection';
  readonly tally: InspectionTally;
  /** Scan verdicts still to come, collected off the pass. */
  readonly verdicts = new PendingVerdicts();
  private finished = false;

  constructor(readonly options: ContentInspectorOptions) {
    this.tally = new InspectionTally(options.scannerStatus, options.caps);
    const signal = options.signal;
    if (signal) {
      // Every outstanding scan listens for a cancel (its connection and its reply wait): more than
      // the default 10 listeners on one signal is by design here, not a leak (Node would warn).
      setMaxListeners(Math.max(getMaxListeners(signal), 16 + 4 * MAX_PENDING_SCANS), signal);
      // A cancel drops the scans still settling at once, and nothing waits for them any more.
      signal.addEventListener('abort', () => this.verdicts.abort(), { once: true });
    }
  }

  /** Whether the scanner may be used at all: checked after authentication, before any payload byte. */
  readiness(): Readiness {
    return scannerReadiness(this.options.scannerStatus, this.options.policy.scan);
  }

  inspect(file: InspectedFile): FileInspection {
    return new PayloadFileInspection(this, file);
  }

  /** Every scan verdict the pass left to settle (scan-verdicts.ts): nothing is decided before they are all in. */
  async finish(): Promise<Problem[]> {
    let problems: Problem[];
    try {
      problems = await this.verdicts.drain();
    } catch (error) {
      this.throwIfCancelled();
      throw error;
    }
    this.throwIfCancelled();
    this.finished = true;
    return problems;
  }

  /** Drops scans still running (the operation ended without finish: a refusal, a failure, a cancel). */
  dispose(): void {
    this.verdicts.abort();
  }

  /** The summary for the report; `complete` only when every payload file was seen to the end. */
  summary(): InspectionSummary {
    return this.tally.summary(this.finished);
  }

  /** A scan of one stream, or null when the policy names no scanner. */
  async beginScan(): Promise<FileScan | null> {
    const scanner = this.options.scanner;
    if (!scanner) return null;
    try {
      return await scanner.begin(this.options.signal);
    } catch (error) {
      this.throwIfCancelled();
      // A scanner that throws instead of answering is unavailable for this file: fail closed.
      return failedScan(`${(error as Error).message}`);
    }
  }

  /** What settling an item's verdict needs (item-verdict.ts settleItem). */
  get settling(): ItemSettling {
    return { tally: this.tally, onError: this.options.policy.scan?.onError ?? 'refuse', scanning: this.options.scanner !== null };
  }

  throwIfCancelled(): void {
    if (this.options.signal?.aborted) throw new AirlockError('CANCELLED');
  }
}

function failedScan(detail: string): FileScan {
  return { write: async () => undefined, finish: async () => ({ outcome: 'unavailable', detail }), abort: () => undefined };
}

/** Keeps up to TYPE_SNIFF_BYTES of a stream's first bytes. */
export class HeadSniffer {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  get full(): boolean {
    return this.bytes >= TYPE_SNIFF_BYTES;
  }

  add(chunk: Buffer): void {
    if (this.full) return;
    const part = chunk.subarray(0, TYPE_SNIFF_BYTES - this.bytes);
    this.chunks.push(Buffer.from(part));
    this.bytes += part.length;
  }

  head(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** One payload file's inspection, fed by the payload pass. */
class PayloadFileInspection implements FileInspection {
  private readonly sniffer = new HeadSniffer();
  /** The last bytes, for the polyglot check (a zip joined to the end of another file). */
  private readonly tail = new TailWindow();
  private detection: TypeDetection | null = null;
  private scan: FileScan | null = null;
  private scanStarted = false;
  /** Chunks seen before the type was known (at most TYPE_SNIFF_BYTES plus one chunk): a spool needs them. */
  private early: Buffer[] | null = [];
  private spool: SpoolFile | null = null;
  /** The read-back source in use, closed when the file's inspection ends. */
  private reading: ByteSource | null = null;
  private scanned = 0;

  constructor(
    private readonly owner: ContentInspector,
    private readonly file: InspectedFile,
  ) {}

  private get policy(): InspectPolicy {
    return this.owner.options.policy;
  }

  async update(chunk: Buffer): Promise<void> {
    if (!this.scanStarted) {
      this.scanStarted = true;
      this.scan = await this.owner.beginScan();
    }
    if (this.scan) {
      await this.scan.write(chunk);
      this.scanned += chunk.length;
    }
    this.tail.push(chunk);
    if (this.spool) await this.spool.write(chunk);
    else if (this.early) {
      this.sniffer.add(chunk);
      this.early.push(chunk);
      if (this.sniffer.full) await this.typeKnown();
    }
  }

  /** The head is in: detect the type, and start a private copy when random access will be needed and the pass keeps none. */
  private async typeKnown(): Promise<void> {
    const early = this.early ?? [];
    this.early = null;
    this.detection = await this.owner.options.parts.detectType(this.sniffer.head(), baseName(this.file.path));
    if (!this.needsRandomAccess(this.detection) || (this.file.reread?.() ?? null) !== null) return;
    this.spool = await SpoolFile.create();
    for (const chunk of early) await this.spool.write(chunk);
  }

  private needsRandomAccess(detection: TypeDetection): boolean {
    const archive = detection.archive !== null && detection.archive !== 'unsupported' && this.policy.archives.expand;
    return archive || officeChecksWanted(detection, this.policy);
  }

  async end(verified: boolean): Promise<Problem[]> {
    try {
      if (!verified) {
        // Bytes that are not the signed ones are the checksum's problem; inspecting them proves nothing.
        this.scan?.abort();
        return [];
      }
      if (this.early) await this.typeKnown();
      return await this.verdict();
    } catch (error) {
      this.scan?.abort();
      throw error;
    } finally {
      await closeSource(this.reading);
      await this.spool?.remove();
    }
  }

  /**
   * What needs the bytes (type policy, macros, the archive walk) is decided now, while they can be
   * read back; the scan's verdict settles later (scan-verdicts.ts), and with it the file's report
   * row and its scan problem, which the inspector's finish() returns.
   */
  private async verdict(): Promise<Problem[]> {
    const { owner, file, policy } = this;
    const detection = this.detection as TypeDetection;
    /** Findings whose problems are made where they are found (the archive walk's). */
    const rowFindings: ItemFinding[] = [];
    owner.tally.scanned(this.scanned);
    const extra: Problem[] = [];
    const source = this.needsRandomAccess(detection) ? await this.source() : null;
    const office =
      source && officeChecksWanted(detection, policy)
        ? await officeChecks(owner.options.parts, policy, source, detection, owner.options.signal)
        : NO_OFFICE_CHECKS;
    owner.throwIfCancelled();
    const polyglot = owner.options.parts.polyglotIn(this.sniffer.head(), this.tail.bytes(), file.size, detection);
    const findings: ItemFinding[] = [
      ...owner.options.parts.typeFindings(detection, office.macros, policy, mismatchReasons(polyglot, office)),
      ...office.findings,
    ];
    if (detection.archive === 'unsupported' && policy.archives.expand) {
      const found = byRule(policy.archives.unreadable, 'ARCHIVE_UNREADABLE', 'It is an archive kind the station does not open (7z, rar, xz, ...).');
      if (found) findings.push(found);
    } else if (source && detection.archive !== null && detection.archive !== 'unsupported') {
      // An Office package is a zip: its parts are walked as members too (office-checks.ts says which rules they get).
      extra.push(...(await this.walk(source, detection.archive, rowFindings, detection.office === 'ooxml')));
    }
    const seen: ItemObservation = { path: file.path, members: [], size: file.size, detection, macros: office.macros?.kind === 'found', scan: NOT_SCANNED };
    await owner.verdicts.add(this.scan, (verdict) => settleItem(owner.settling, seen, findings, rowFindings, verdict, 'empty file: nothing to scan'));
    // Handed over: the verdicts own it now (and abort it on dispose).
    this.scan = null;
    return [...findings.filter((f) => f.severity === 'refuse').map((f) => itemProblem(f, file.path, [])), ...extra];
  }

  private async source(): Promise<ByteSource | null> {
    this.reading = this.spool ? await this.spool.source() : (this.file.reread?.() ?? null);
    return this.reading;
  }

  /**
   * Every member of the archive tree: its own type policy and scan (member-inspection.ts). What
   * stopped or limited the walk goes in `rowFindings` (the file's row) and comes back as problems
   * naming where in the tree it happened.
   */
  private async walk(source: ByteSource, kind: 'zip' | 'tar' | 'gzip', rowFindings: ItemFinding[], isPackage: boolean): Promise<Problem[]> {
    const { owner, file, policy } = this;
    const problems: Problem[] = [];
    const { maxDepth, maxEntries, maxExpandedBytes, maxRatio } = policy.archives;
    /** Member chains of the Office packages in this tree ([] for the payload file itself): their parts get the part rules. */
    const packages = new PackageChains(isPackage);
    let walked;
    try {
      walked = await owner.options.parts.walkArchive(
        source,
        kind,
        { maxDepth, maxEntries, maxExpandedBytes, maxRatio },
        async (member) => {
          problems.push(...(await inspectMember(owner, file.path, member, packages.holds(member.members))));
        },
        owner.options.signal,
        async (members, zip) => {
          problems.push(...(await inspectNestedPackage(owner, file.path, members, zip, packages)));
        },
      );
    } catch (error) {
      owner.throwIfCancelled();
      if (error instanceof AirlockError) throw error;
      // A walk that breaks on hostile bytes leaves members unseen: unreadable, never a pass.
      walked = [{ code: 'ARCHIVE_UNREADABLE' as const, members: [], detail: `Reading it failed: ${(error as Error).message}.` }];
    }
    for (const found of walked) {
      const finding = walkFinding(found, policy.archives);
      if (!finding) continue;
      rowFindings.push(finding);
      if (finding.severity === 'refuse') problems.push(itemProblem(finding, file.path, found.members));
    }
    return problems;
  }
}

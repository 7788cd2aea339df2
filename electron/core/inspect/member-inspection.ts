/**
 * What lies inside an archive in a payload file (issue #16.3/#16.5): each member, read once from
 * the walk's bounded stream, its head sniffed for the type policy and every byte sent to its own
 * scan, so a marker inside a zip inside a tar.gz is found and named by its inner path; and each
 * Office package nested in the tree (a .docx inside a zip), which the walk opens as the zip it is.
 *
 * Office containers inside archives get the same checks as payload files (office-checks.ts):
 * a member that is an OLE document (.doc, .xls) or a package too deep to walk is copied to a
 * private spool file as it streams (the macro check needs random access), a nested package is
 * checked from the walk's own spooled copy. The parts of a package get the part rules, and no
 * macro check of their own: the package's check covers them (a vbaProject.bin is its VBA project).
 */
import type { Problem } from '../../../shared/problems.js';
import { SpoolFile } from './byte-sources.js';
import { TYPE_SNIFF_BYTES, type ArchiveMemberVisit, type ByteSource, type FileScan, type ItemFinding, type TypeDetection } from './contract.js';
import { baseName, HeadSniffer, type ContentInspector } from './content-inspector.js';
import { itemProblem, NOT_SCANNED, settleItem, type ItemObservation } from './item-verdict.js';
import { mismatchReasons, nestedPackagePolicy, NO_OFFICE_CHECKS, officeChecks, officeChecksWanted, partPolicy } from './office-checks.js';
import { TailWindow } from './types/polyglot.js';

/** The member chains of the Office packages met in one payload file's archive tree. */
export class PackageChains {
  private readonly chains = new Set<string>();

  /** `root`: the payload file itself is a package (its first-level members are its parts). */
  constructor(root: boolean) {
    if (root) this.add([]);
  }

  add(members: readonly string[]): void {
    this.chains.add(JSON.stringify(members));
  }

  /** Whether the member at `members` is a part of a package (its parent chain is one). */
  holds(members: readonly string[]): boolean {
    return this.chains.has(JSON.stringify(members.slice(0, -1)));
  }
}

export async function inspectMember(owner: ContentInspector, path: string, member: ArchiveMemberVisit, inPackage: boolean): Promise<Problem[]> {
  const { parts } = owner.options;
  const policy = inPackage ? partPolicy(owner.options.policy) : owner.options.policy;
  const name = member.members.at(-1) ?? '';
  const sniffer = new HeadSniffer();
  const tail = new TailWindow();
  // Begun at the first byte that arrives, not by the declared size: an archive's sizes are hostile
  // (a member declared empty that yields bytes is still scanned); a truly empty member needs no scan.
  let scan: FileScan | null = null;
  let scanBegun = false;
  let bytes = 0;
  let detection: TypeDetection | null = null;
  /** Chunks before the type is known; a spool for an Office member needs them. */
  let early: Buffer[] | null = [];
  let spool: SpoolFile | null = null;
  const typeKnown = async (): Promise<void> => {
    detection = await parts.detectType(sniffer.head(), baseName(name));
    const held = early ?? [];
    early = null;
    if (inPackage || !officeChecksWanted(detection, policy)) return;
    spool = await SpoolFile.create();
    for (const chunk of held) await spool.write(chunk);
  };
  try {
    try {
      for await (const chunk of member.stream as AsyncIterable<Buffer>) {
        tail.push(chunk);
        bytes += chunk.length;
        if (chunk.length === 0) continue;
        if (!scanBegun) {
          scanBegun = true;
          scan = await owner.beginScan();
        }
        if (scan) await scan.write(chunk);
        if (spool) await (spool as SpoolFile).write(chunk);
        else if (early) {
          sniffer.add(chunk);
          early.push(chunk);
          if (sniffer.full) await typeKnown();
        }
      }
      if (early) await typeKnown();
    } catch (error) {
      scan?.abort();
      throw error;
    }
    owner.throwIfCancelled();
    owner.tally.scanned(scan ? bytes : 0);
    const seenType = detection as unknown as TypeDetection;
    const source: ByteSource | null = spool ? await (spool as SpoolFile).source() : null;
    const office = source ? await officeChecks(parts, policy, source, seenType, owner.options.signal) : NO_OFFICE_CHECKS;
    owner.throwIfCancelled();
    const head = sniffer.head();
    const polyglot = parts.polyglotIn(head, tail.bytes(), bytes, seenType);
    const findings: ItemFinding[] = [...parts.typeFindings(seenType, office.macros, policy, mismatchReasons(polyglot, office)), ...office.findings];
    const seen: ItemObservation = {
      path,
      members: [...member.members],
      size: bytes,
      detection: seenType,
      macros: office.macros?.kind === 'found',
      scan: NOT_SCANNED,
    };
    // The verdict settles off the walk (scan-verdicts.ts); the member's row and scan problem come with it.
    try {
      await owner.verdicts.add(scan, (verdict) => settleItem(owner.settling, seen, findings, [], verdict, 'empty member: nothing to scan'));
    } catch (error) {
      scan?.abort();
      throw error;
    }
    return refusals(findings, path, seen.members);
  } finally {
    await (spool as SpoolFile | null)?.remove();
  }
}

/**
 * A zip met inside the tree, from the walk's spooled copy: when it is an Office package, its own
 * checks (macros, structure), a report row of its own, and its parts marked for the part rules.
 * Not scanned whole here: its parts are, one by one, as members.
 */
export async function inspectNestedPackage(
  owner: ContentInspector,
  path: string,
  members: string[],
  source: ByteSource,
  packages: PackageChains,
): Promise<Problem[]> {
  const { parts, signal } = owner.options;
  const head = await source.read(0, TYPE_SNIFF_BYTES, signal);
  const detection = await parts.detectType(head, baseName(members.at(-1) ?? ''));
  if (detection.office !== 'ooxml') return [];
  packages.add(members);
  const policy = nestedPackagePolicy(packages.holds(members) ? partPolicy(owner.options.policy) : owner.options.policy);
  const office = officeChecksWanted(detection, policy) ? await officeChecks(parts, policy, source, detection, signal) : NO_OFFICE_CHECKS;
  owner.throwIfCancelled();
  const findings: ItemFinding[] = [...parts.typeFindings(detection, office.macros, policy, office.mismatch), ...office.findings];
  const seen: ItemObservation = { path, members: [...members], size: source.size, detection, macros: office.macros?.kind === 'found', scan: NOT_SCANNED };
  await owner.verdicts.add(null, () => settleItem(owner.settling, seen, findings, [], null, 'an Office package: its parts are scanned one by one'));
  return refusals(findings, path, seen.members);
}

function refusals(findings: readonly ItemFinding[], path: string, members: readonly string[]): Problem[] {
  return findings.filter((f) => f.severity === 'refuse').map((f) => itemProblem(f, path, members));
}

/**
 * One member of an archive inside a payload file (issue #16.3/#16.5): read once from the walk's
 * bounded stream, its head sniffed for the type policy and every byte sent to its own scan, so a
 * marker inside a zip inside a tar.gz is found and named by its inner path. An Office document
 * inside an archive is not opened for macros (that needs random access within the member): the
 * scanner's own macro detection covers it where the site enables it (docs/inspection.md).
 */
import type { Problem } from '../../../shared/problems.js';
import type { ArchiveMemberVisit, FileScan, ItemFinding } from './contract.js';
import { baseName, HeadSniffer, type ContentInspector } from './content-inspector.js';
import { itemProblem, NOT_SCANNED, settleItem, type ItemObservation } from './item-verdict.js';
import { TailWindow } from './types/polyglot.js';

export async function inspectMember(owner: ContentInspector, path: string, member: ArchiveMemberVisit): Promise<Problem[]> {
  const { policy, parts } = owner.options;
  const sniffer = new HeadSniffer();
  const tail = new TailWindow();
  // Begun at the first byte that arrives, not by the declared size: an archive's sizes are hostile
  // (a member declared empty that yields bytes is still scanned); a truly empty member needs no scan.
  let scan: FileScan | null = null;
  let scanBegun = false;
  let bytes = 0;
  try {
    for await (const chunk of member.stream as AsyncIterable<Buffer>) {
      sniffer.add(chunk);
      tail.push(chunk);
      bytes += chunk.length;
      if (chunk.length === 0) continue;
      if (!scanBegun) {
        scanBegun = true;
        scan = await owner.beginScan();
      }
      if (scan) await scan.write(chunk);
    }
  } catch (error) {
    scan?.abort();
    throw error;
  }
  owner.throwIfCancelled();
  owner.tally.scanned(scan ? bytes : 0);
  const name = member.members.at(-1) ?? '';
  const detection = await parts.detectType(sniffer.head(), baseName(name));
  const head = sniffer.head();
  // Macros inside a member are not looked for (no random access within it): null, as for a non-Office item.
  const findings: ItemFinding[] = [...parts.typeFindings(detection, null, policy, parts.polyglotIn(head, tail.bytes(), bytes, detection))];
  const seen: ItemObservation = { path, members: [...member.members], size: bytes, detection, macros: false, scan: NOT_SCANNED };
  // The verdict settles off the walk (scan-verdicts.ts); the member's row and scan problem come with it.
  try {
    await owner.verdicts.add(scan, (verdict) => settleItem(owner.settling, seen, findings, [], verdict, 'empty member: nothing to scan'));
  } catch (error) {
    scan?.abort();
    throw error;
  }
  return findings.filter((f) => f.severity === 'refuse').map((f) => itemProblem(f, path, seen.members));
}

/**
 * The content inspection part of a verify or import report (issue #16.5): counts, the scanner with
 * its database version and age (always shown when a scanner is configured), then one line per
 * refused or warned item: what, where (the inner path of an archive member), the codes, the type
 * by content and the scanner's words. Hostile names are escaped by render.ts (displayText).
 */
import { formatSize, plural } from '../../shared/format.js';
import type { InspectedItem, InspectionSummary, ScannerStatus } from '../../shared/inspection.js';

export function renderInspection(inspection: InspectionSummary | undefined): string[] {
  if (!inspection?.enabled) return [];
  const lines: string[] = [];
  const verdict = inspection.refused > 0 ? `${inspection.refused} refused` : 'nothing refused';
  const warned = inspection.warned > 0 ? `, ${inspection.warned} with warnings` : '';
  const stopped = inspection.complete ? '' : ' (inspection stopped early)';
  lines.push(
    `  Inspection: ${plural(inspection.files, 'file')}, ${plural(inspection.members, 'archive member')}, ${formatSize(inspection.bytesScanned)} scanned; ${verdict}${warned}${stopped}`,
  );
  lines.push(`  Scanner: ${scannerLine(inspection.scanner)}`);
  for (const item of inspection.items) {
    if (item.findings.length === 0 && item.warnings.length === 0) continue;
    lines.push(`    ${item.findings.length > 0 ? 'REFUSED' : 'WARNING'}  ${itemPath(item)}`);
    lines.push(`      ${[...item.findings, ...item.warnings.map((w) => `${w} (warning)`)].join(', ')}; ${facts(item)}`);
  }
  const flagged = inspection.refused + inspection.warned;
  const listed = inspection.items.filter((i) => i.findings.length > 0 || i.warnings.length > 0).length;
  if (flagged > listed) lines.push(`    ... and ${plural(flagged - listed, 'more item')} with findings (over the list's cap)`);
  return lines;
}

/** The scanner and its database: version, date and age, or why it is not usable. */
export function scannerLine(scanner: ScannerStatus | null): string {
  if (scanner === null) return 'none configured (types and archives only; nothing scanned for malware)';
  const engine = scanner.engineVersion ?? scanner.kind;
  if (!scanner.reachable || scanner.error !== null) return `${engine} at ${scanner.address}: NOT USABLE (${scanner.error ?? 'no answer'})`;
  const version = scanner.databaseVersion === null ? 'version unknown' : `version ${scanner.databaseVersion}`;
  const date = scanner.databaseDate ?? 'date unknown';
  const age = scanner.databaseAgeDays === null ? 'age unknown' : `${plural(scanner.databaseAgeDays, 'day')} old`;
  return `${engine} at ${scanner.address}; database ${version}, ${date} (${age})`;
}

function itemPath(item: InspectedItem): string {
  return [item.path, ...item.members].join(' › ');
}

function facts(item: InspectedItem): string {
  const type = `type ${item.detectedType ?? 'not recognised'}${item.extension ? ` (named .${item.extension})` : ''}`;
  const macros = item.macros ? ', carries macros' : '';
  const scan = item.scanDetail ? `scan ${item.scan}: ${item.scanDetail}` : `scan ${item.scan}`;
  return `${type}${macros}; ${scan}`;
}

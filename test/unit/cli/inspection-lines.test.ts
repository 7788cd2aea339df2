/**
 * The inspection lines of the verify/import text report (electron/cli/inspection-lines.ts): the
 * scanner's database version and age always shown when a scanner is configured, one entry per
 * refused or warned item with its inner path, codes, detected type and the scanner's words, and
 * hostile names escaped by the report (a bidi override in a member name cannot rewrite the line).
 */
import { describe, expect, it } from 'vitest';
import type { InspectedItem, InspectionSummary } from '../../../shared/inspection.js';
import type { VerifyResult } from '../../../shared/results.js';
import { renderInspection, scannerLine } from '../../../electron/cli/inspection-lines.js';
import { renderVerifyResult } from '../../../electron/cli/render.js';
import { readyStatus } from '../../helpers/fake-inspection.js';

function item(overrides: Partial<InspectedItem>): InspectedItem {
  return {
    path: 'data/a.txt',
    members: [],
    size: 10,
    detectedType: null,
    extension: 'txt',
    macros: false,
    scan: 'clean',
    scanDetail: null,
    findings: [],
    warnings: [],
    ...overrides,
  };
}

function summary(items: InspectedItem[], overrides: Partial<InspectionSummary> = {}): InspectionSummary {
  return {
    enabled: true,
    scanner: readyStatus(),
    files: 2,
    members: 1,
    bytesScanned: 2048,
    refused: items.filter((i) => i.findings.length > 0).length,
    warned: items.filter((i) => i.findings.length === 0 && i.warnings.length > 0).length,
    items,
    omitted: 0,
    complete: true,
    ...overrides,
  };
}

describe('inspection lines', () => {
  it('show nothing when inspection is off', () => {
    expect(renderInspection(undefined)).toEqual([]);
    expect(renderInspection(summary([], { enabled: false }))).toEqual([]);
  });

  it('always show the database version and age when a scanner is configured, even when nothing was found', () => {
    const lines = renderInspection(summary([item({})]));
    expect(lines[0]).toBe('  Inspection: 2 files, 1 archive member, 2.00 KiB scanned; nothing refused');
    expect(lines[1]).toBe('  Scanner: ClamAV 1.4.6 at unix:/fake/clamd.sock; database version 27000, 2026-12-01T00:00:00.000Z (2 days old)');
    expect(lines).toHaveLength(2);
  });

  it('say when the scanner is unusable, and when there is none', () => {
    expect(scannerLine(readyStatus({ reachable: false, error: 'connect ENOENT' }))).toContain('NOT USABLE (connect ENOENT)');
    expect(scannerLine(null)).toContain('none configured');
    expect(scannerLine(readyStatus({ databaseAgeDays: null, databaseDate: null }))).toContain('date unknown (age unknown)');
  });

  it('name each refused member by its inner path, with the code, type and scan detail; warnings marked as such', () => {
    const lines = renderInspection(
      summary([
        item({
          path: 'data/in.tar.gz',
          members: ['inner.zip', 'deep/marker.txt'],
          scan: 'found',
          scanDetail: 'Airlock.Test.Marker.UNOFFICIAL',
          findings: ['MALWARE_FOUND'],
        }),
        item({ path: 'data/photo.jpg', detectedType: 'application/pdf', extension: 'jpg', warnings: ['TYPE_MISMATCH'] }),
      ]),
    );
    expect(lines).toContain('    REFUSED  data/in.tar.gz › inner.zip › deep/marker.txt');
    expect(lines).toContain('      MALWARE_FOUND; type not recognised (named .txt); scan found: Airlock.Test.Marker.UNOFFICIAL');
    expect(lines).toContain('    WARNING  data/photo.jpg');
    expect(lines).toContain('      TYPE_MISMATCH (warning); type application/pdf (named .jpg); scan clean');
  });

  it('count flagged items beyond the list cap', () => {
    const lines = renderInspection(summary([item({ findings: ['MALWARE_FOUND'] })], { refused: 5 }));
    expect(lines.at(-1)).toBe("    ... and 4 more items with findings (over the list's cap)");
  });

  it('are escaped in the full report: a bidi override in a member name is shown as an escape', () => {
    const result: VerifyResult = {
      ok: false,
      bundle: {
        name: 'b',
        path: 'b.airlock.tar',
        uuid: null,
        station: null,
        operator: null,
        sequence: null,
        created: null,
        files: 1,
        bytes: 1,
        tagmanifestSha256: null,
      },
      signers: [],
      problems: [],
      files: {
        counts: { ok: 0, 'checksum-mismatch': 0, missing: 0, unlisted: 0, 'refused-name': 0, 'refused-type': 0, 'refused-limit': 0 },
        listed: [],
        omitted: { ok: 0, failed: 0 },
        notChecked: 0,
        complete: true,
      },
      policy: { findings: [] },
      inspection: summary([item({ path: 'data/x.zip', members: ['evil\u202Etxt.exe'], findings: ['TYPE_DENIED'] })]),
    } as unknown as VerifyResult;
    const text = renderVerifyResult(result);
    expect(text).toContain('REFUSED  data/x.zip › evil\\u202etxt.exe');
    expect(text).not.toContain('\u202E');
  });
});

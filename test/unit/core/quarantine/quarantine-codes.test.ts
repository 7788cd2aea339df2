/**
 * Which refusals put a bundle in quarantine (quarantine/quarantine-codes.ts): every finding about
 * what the bundle holds, and none about the station (scanner down, stale database) or about
 * authenticity and integrity. Pinned against the full list of problem codes, so a new code must be
 * placed on one side deliberately.
 */
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, type ProblemCode } from '../../../../shared/problems.js';
import { contentFindings, distinctCodes, QUARANTINE_CODES } from '../../../../electron/core/quarantine/quarantine-codes.js';

const KEPT: ProblemCode[] = [
  'TYPE_DENIED',
  'TYPE_MISMATCH',
  'MACRO_FOUND',
  'ARCHIVE_LIMIT',
  'ARCHIVE_ENCRYPTED',
  'ARCHIVE_UNREADABLE',
  'MALWARE_FOUND',
  'SCAN_FAILED',
];

describe('quarantine codes', () => {
  it('are exactly the content findings', () => {
    expect([...QUARANTINE_CODES].sort()).toEqual([...KEPT].sort());
    for (const code of PROBLEM_CODES) expect(QUARANTINE_CODES.has(code), code).toBe(KEPT.includes(code));
  });

  it('a station that could not inspect is not a quarantine case; one content finding among others is', () => {
    const station = [
      { code: 'SCANNER_UNAVAILABLE' as const, message: '' },
      { code: 'SCAN_DB_STALE' as const, message: '' },
    ];
    expect(contentFindings(station)).toEqual([]);
    const mixed = [
      ...station,
      { code: 'MALWARE_FOUND' as const, path: 'data/a', message: '' },
      { code: 'CHECKSUM_MISMATCH' as const, path: 'data/b', message: '' },
    ];
    expect(contentFindings(mixed).map((p) => p.code)).toEqual(['MALWARE_FOUND']);
    expect(distinctCodes([...mixed, ...mixed])).toEqual(['SCANNER_UNAVAILABLE', 'SCAN_DB_STALE', 'MALWARE_FOUND', 'CHECKSUM_MISMATCH']);
  });
});

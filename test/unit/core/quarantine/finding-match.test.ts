/**
 * What a release overrides: the findings named in the kept report (same code, file and member
 * chain), and, for findings the report only counted beyond its cap, up to that many more of the
 * same code. Never another code, never more than were counted, never a non-content problem.
 */
import { describe, expect, it } from 'vitest';
import { problem, type Problem } from '../../../../shared/problems.js';
import { recordedFindingCounts, recordedFindingMatcher } from '../../../../electron/core/quarantine/finding-match.js';

const named = (code: Problem['code'], path: string, members?: string[]): Problem => ({ ...problem(code, 'x', path), members });
const counted = (code: Problem['code'], count: number): Problem => ({ ...problem(code, `${count} more`), count });

describe('recordedFindingMatcher', () => {
  it('a named finding matches itself (any number of times), not another file, member or code', () => {
    const accept = recordedFindingMatcher([named('TYPE_DENIED', 'data/a.exe'), named('MALWARE_FOUND', 'data/z.zip', ['in.txt'])]);
    expect(accept(named('TYPE_DENIED', 'data/a.exe'))).toBe(true);
    expect(accept(named('TYPE_DENIED', 'data/a.exe'))).toBe(true);
    expect(accept(named('TYPE_DENIED', 'data/b.exe'))).toBe(false);
    expect(accept(named('MALWARE_FOUND', 'data/z.zip', ['other.txt']))).toBe(false);
    expect(accept(named('TYPE_MISMATCH', 'data/a.exe'))).toBe(false);
  });

  it('findings counted beyond the cap override that many more of their code, and no more', () => {
    const accept = recordedFindingMatcher([named('TYPE_DENIED', 'data/a.exe'), counted('TYPE_DENIED', 2)]);
    expect(accept(named('TYPE_DENIED', 'data/a.exe'))).toBe(true);
    expect(accept(named('TYPE_DENIED', 'data/x1.exe'))).toBe(true);
    expect(accept(named('TYPE_DENIED', 'data/x2.exe'))).toBe(true);
    expect(accept(named('TYPE_DENIED', 'data/x3.exe'))).toBe(false);
    // Another code is never covered by a count.
    expect(accept(named('MACRO_FOUND', 'data/x4.docx'))).toBe(false);
  });

  it('a problem that is not a content finding is never overridden, counted or not', () => {
    const accept = recordedFindingMatcher([counted('CHECKSUM_MISMATCH', 5), named('CHECKSUM_MISMATCH', 'data/a')]);
    expect(accept(named('CHECKSUM_MISMATCH', 'data/a'))).toBe(false);
    expect(accept(named('CHECKSUM_MISMATCH', 'data/b'))).toBe(false);
  });
});

describe('recordedFindingCounts', () => {
  it('counts named and counted content findings per code; other problems not', () => {
    expect(
      recordedFindingCounts([
        named('TYPE_DENIED', 'data/a.exe'),
        counted('TYPE_DENIED', 7),
        named('SCAN_FAILED', 'data/b'),
        problem('REPLAY'),
        counted('CHECKSUM_MISMATCH', 3),
      ]),
    ).toEqual({ TYPE_DENIED: 8, SCAN_FAILED: 1 });
  });
});

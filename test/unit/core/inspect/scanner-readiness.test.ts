/**
 * Whether the scanner may be used before any payload byte (scanner-readiness.ts): unreachable or
 * unusable is SCANNER_UNAVAILABLE whatever the policy; a database older than maxDatabaseAgeDays,
 * or of unknown age, is SCAN_DB_STALE, refused or (onStaleDatabase: warn) only a warning; exactly
 * the allowed age passes.
 */
import { describe, expect, it } from 'vitest';
import { scannerReadiness } from '../../../../electron/core/inspect/scanner-readiness.js';
import { resolveInspectPolicy } from '../../../../electron/core/policy/inspect-policy.js';
import { readyStatus } from '../../../helpers/fake-inspection.js';

function scanPolicy(extra: Record<string, unknown> = {}) {
  const scan = resolveInspectPolicy({ scan: { clamd: 'unix:/x.sock', ...extra } })?.scan;
  if (!scan) throw new Error('no scan policy');
  return scan;
}

describe('scanner readiness', () => {
  it('no scanner configured: nothing to say', () => {
    expect(scannerReadiness(null, null)).toEqual({ problems: [], warnings: [] });
  });

  it('unreachable, or reachable with an error (no database), is SCANNER_UNAVAILABLE even when stale databases only warn', () => {
    for (const status of [readyStatus({ reachable: false, error: 'connect ENOENT /x.sock' }), readyStatus({ error: 'no signature database loaded' })]) {
      const ready = scannerReadiness(status, scanPolicy({ onStaleDatabase: 'warn' }));
      expect(ready.problems.map((p) => p.code)).toEqual(['SCANNER_UNAVAILABLE']);
      expect(ready.problems[0]?.message).toContain(status.error ?? '');
    }
  });

  it('older than allowed is SCAN_DB_STALE; exactly the allowed age passes; warn turns it into a warning', () => {
    expect(scannerReadiness(readyStatus({ databaseAgeDays: 7 }), scanPolicy()).problems).toEqual([]);
    const stale = scannerReadiness(readyStatus({ databaseAgeDays: 8 }), scanPolicy());
    expect(stale.problems.map((p) => p.code)).toEqual(['SCAN_DB_STALE']);
    expect(stale.problems[0]?.message).toContain('8 days old');
    const warned = scannerReadiness(readyStatus({ databaseAgeDays: 8 }), scanPolicy({ onStaleDatabase: 'warn' }));
    expect(warned.problems).toEqual([]);
    expect(warned.warnings[0]).toContain('8 days old');
  });

  it('a database whose date cannot be read is of unknown age: stale, never fresh', () => {
    const ready = scannerReadiness(readyStatus({ databaseAgeDays: null, databaseDate: null }), scanPolicy({ maxDatabaseAgeDays: 30 }));
    expect(ready.problems.map((p) => p.code)).toEqual(['SCAN_DB_STALE']);
    expect(ready.problems[0]?.message).toContain('age is unknown');
  });
});

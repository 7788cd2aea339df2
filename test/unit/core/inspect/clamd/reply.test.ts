import { describe, expect, it } from 'vitest';
import { classifyScanReply } from '../../../../../electron/core/inspect/clamd/reply.js';

describe('classifyScanReply: only `stream: OK` is clean', () => {
  it('clean', () => {
    expect(classifyScanReply('stream: OK')).toEqual({ outcome: 'clean', detail: null });
  });

  it('a signature hit carries the signature name', () => {
    expect(classifyScanReply('stream: Airlock.Test.Marker.UNOFFICIAL FOUND')).toEqual({ outcome: 'found', detail: 'Airlock.Test.Marker.UNOFFICIAL' });
    expect(classifyScanReply('stream: Win.Test.EICAR_HDB-1 FOUND')).toEqual({ outcome: 'found', detail: 'Win.Test.EICAR_HDB-1' });
  });

  it('a limit clamd hit (AlertExceedsMax) is an incomplete scan: error, not clean and not malware', () => {
    const verdict = classifyScanReply('stream: Heuristics.Limits.Exceeded.MaxRecursion FOUND');
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toContain('Heuristics.Limits.Exceeded.MaxRecursion');
  });

  const notClean = [
    'INSTREAM size limit exceeded. ERROR',
    'stream: Can’t allocate memory ERROR',
    'stream: OK but not really',
    'stream:OK',
    'OK',
    'stream: ok',
    ' stream: FOUND',
    'stream:  FOUND',
    'UNKNOWN COMMAND',
    '',
    'stream: OK\nstream: Eicar FOUND',
    'COMMAND READ TIMED OUT',
  ];
  for (const reply of notClean) {
    it(`not clean: ${JSON.stringify(reply)}`, () => {
      expect(classifyScanReply(reply).outcome).not.toBe('clean');
      expect(classifyScanReply(reply).detail).toBeTruthy();
    });
  }

  it('hostile reply text is flattened and bounded', () => {
    const verdict = classifyScanReply(`\u001b[31m${'x'.repeat(5000)}\r\n`);
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail?.length).toBeLessThanOrEqual(513);
    for (const control of ['\u001b', '\r', '\n']) expect(verdict.detail).not.toContain(control);
  });
});

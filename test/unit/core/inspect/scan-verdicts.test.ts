/**
 * Scan verdicts collected off the payload pass (electron/core/inspect/scan-verdicts.ts): never more
 * than the pool's verdicts awaited at once, records and problems in the order items were added
 * whatever order clamd answers in, a scan that throws is an error verdict (never clean), a failed
 * settle fails the drain, and abort drops what is still running.
 */
import { describe, expect, it } from 'vitest';
import { problem } from '../../../../shared/problems.js';
import type { FileScan, ScanVerdict } from '../../../../electron/core/inspect/contract.js';
import { PendingVerdicts, type SettledItem } from '../../../../electron/core/inspect/scan-verdicts.js';

/** A scan whose verdict the test gives when it wants. */
function heldScan(): FileScan & { answer(verdict: ScanVerdict): void; fail(error: Error): void; aborted: boolean } {
  let answer!: (verdict: ScanVerdict) => void;
  let fail!: (error: Error) => void;
  const verdict = new Promise<ScanVerdict>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  const scan = {
    aborted: false,
    write: async () => undefined,
    finish: () => verdict,
    abort: () => {
      scan.aborted = true;
    },
    answer: (v: ScanVerdict) => answer(v),
    fail: (e: Error) => fail(e),
  };
  return scan;
}

const CLEAN: ScanVerdict = { outcome: 'clean', detail: null };
const FOUND: ScanVerdict = { outcome: 'found', detail: 'Marker' };

/** Let every settled promise run its continuations. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function recorder() {
  const rows: string[] = [];
  const verdicts: Array<ScanVerdict | null> = [];
  const item =
    (name: string) =>
    (verdict: ScanVerdict | null): SettledItem => {
      verdicts.push(verdict);
      return {
        problems: verdict?.outcome === 'clean' || verdict === null ? [] : [problem('MALWARE_FOUND', name, name)],
        record: () => rows.push(name),
      };
    };
  return { rows, verdicts, item };
}

describe('pending scan verdicts', () => {
  it('records items and gives problems in the order they were added, whatever order the verdicts come in', async () => {
    const pending = new PendingVerdicts(4, 16);
    const { rows, item } = recorder();
    const a = heldScan();
    const b = heldScan();
    await pending.add(a, item('a'));
    await pending.add(null, item('no-scan'));
    await pending.add(b, item('b'));
    b.answer(FOUND);
    await settle();
    // b is in, but a (added first) is not: nothing after a is recorded yet.
    expect(rows).toEqual([]);
    a.answer(FOUND);
    const problems = await pending.drain();
    expect(rows).toEqual(['a', 'no-scan', 'b']);
    expect(problems.map((p) => p.path)).toEqual(['a', 'b']);
  });

  it('never awaits more verdicts than the pool holds: the next add waits until one is in', async () => {
    const pending = new PendingVerdicts(2, 16);
    const { item } = recorder();
    const scans = [heldScan(), heldScan(), heldScan()];
    await pending.add(scans[0] ?? null, item('0'));
    await pending.add(scans[1] ?? null, item('1'));
    let third = false;
    const adding = pending.add(scans[2] ?? null, item('2')).then(() => {
      third = true;
    });
    await settle();
    expect(third).toBe(false);
    expect(pending.pending).toBe(2);
    scans[1]?.answer(CLEAN);
    await adding;
    expect(third).toBe(true);
    expect(pending.pending).toBe(2);
    scans[0]?.answer(CLEAN);
    scans[2]?.answer(CLEAN);
    expect(await pending.drain()).toEqual([]);
  });

  it('holds at most `window` unrecorded items behind a slow verdict', async () => {
    const pending = new PendingVerdicts(8, 3);
    const { rows, item } = recorder();
    const slow = heldScan();
    await pending.add(slow, item('slow'));
    await pending.add(null, item('x'));
    await pending.add(null, item('y'));
    let fourth = false;
    const adding = pending.add(null, item('z')).then(() => {
      fourth = true;
    });
    await settle();
    expect(fourth).toBe(false);
    slow.answer(CLEAN);
    await adding;
    await pending.drain();
    expect(rows).toEqual(['slow', 'x', 'y', 'z']);
  });

  it('a scan that throws instead of answering is an error verdict, never clean', async () => {
    const pending = new PendingVerdicts();
    const { verdicts, item } = recorder();
    const scan = heldScan();
    await pending.add(scan, item('a'));
    scan.fail(new Error('socket hang up'));
    const problems = await pending.drain();
    expect(verdicts).toEqual([{ outcome: 'error', detail: 'the scan failed: socket hang up' }]);
    expect(problems).toHaveLength(1);
  });

  it('a settle that throws fails the drain (the bundle is not decided on a missing row)', async () => {
    const pending = new PendingVerdicts();
    const scan = heldScan();
    await pending.add(scan, () => {
      throw new Error('broken row');
    });
    scan.answer(CLEAN);
    await expect(pending.drain()).rejects.toThrow('broken row');
  });

  it('abort drops every scan still running', async () => {
    const pending = new PendingVerdicts();
    const { item } = recorder();
    const a = heldScan();
    const b = heldScan();
    await pending.add(a, item('a'));
    await pending.add(b, item('b'));
    b.answer(CLEAN);
    await settle();
    pending.abort();
    expect(a.aborted).toBe(true);
    expect(b.aborted).toBe(false);
  });
});

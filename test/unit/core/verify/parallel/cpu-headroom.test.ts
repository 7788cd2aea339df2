/**
 * The stream lane's run-time decision (electron/core/verify/parallel/cpu-headroom.ts,
 * warm-lane-worker.ts streamLaneByDefault): procfs as the kernel would show a busy machine, a free
 * core, and no pressure file at all, through an injected reader and clock.
 */
import { describe, expect, it } from 'vitest';
import { coreFreeNow, STALL_BUSY_SHARE, STALL_MIN_INTERVAL_MS, stallMark, stillFree } from '../../../../../electron/core/verify/parallel/cpu-headroom.js';
import { forcedStreamLane, STREAM_LANE_ENV, streamLaneByDefault } from '../../../../../electron/core/verify/parallel/warm-lane-worker.js';

const pressureText = (totalUs: number): string =>
  `some avg10=97.00 avg60=50.00 avg300=20.00 total=${String(totalUs)}\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n`;

/** A /proc as a map of file texts; this process's threads as [tid, state] pairs; which paths were read. */
function proc(runQueue: number | null, own: Array<[number, string]> = [[100, 'R']], pressure: boolean = true) {
  const files = new Map<string, string>();
  if (pressure) files.set('/proc/pressure/cpu', pressureText(5000));
  if (runQueue !== null) files.set('/proc/loadavg', `0.51 1.20 2.00 ${String(runQueue)}/141 20988\n`);
  // A thread name may hold spaces and parentheses: the state is the letter after the last ')'.
  for (const [tid, state] of own) files.set(`/proc/self/task/${String(tid)}/stat`, `${String(tid)} (node (x) R y) ${state} 1 2 3\n`);
  const seen: string[] = [];
  const read = (path: string): string | null => {
    seen.push(path);
    return files.get(path) ?? null;
  };
  const list = (path: string): string[] | null => (path === '/proc/self/task' ? own.map(([tid]) => String(tid)) : null);
  return { read, list, seen };
}

function freeOn(cores: number, runQueue: number | null, own?: Array<[number, string]>, pressure?: boolean): boolean | null {
  const { read, list } = proc(runQueue, own, pressure);
  return coreFreeNow(cores, read, list);
}

describe('a free core now, from the run queue', () => {
  it('on two cores: only with no other task runnable', () => {
    expect(freeOn(2, 1)).toBe(true);
    // One other busy task: its core is not free (and the pressure does not show it yet: two tasks, two cores).
    expect(freeOn(2, 2)).toBe(false);
    expect(
      freeOn(2, 6, [
        [1, 'R'],
        [2, 'S'],
      ]),
    ).toBe(false);
  });

  it('counts this process runnable threads as its own, not as other work', () => {
    // The reader and two of V8's helpers runnable, one asleep: the queue of 3 is all this process.
    expect(
      freeOn(2, 3, [
        [1, 'R'],
        [2, 'R'],
        [3, 'S'],
        [4, 'R'],
      ]),
    ).toBe(true);
    expect(
      freeOn(2, 3, [
        [1, 'R'],
        [2, 'S'],
        [4, 'R'],
      ]),
    ).toBe(false);
    // The reader is runnable even if its own stat could not be read.
    expect(freeOn(2, 2, [])).toBe(false);
    expect(freeOn(2, 1, [])).toBe(true);
  });

  it('reads the threads only when the answer depends on them', () => {
    const quiet = proc(1);
    expect(coreFreeNow(2, quiet.read, quiet.list)).toBe(true);
    expect(quiet.seen).toEqual(['/proc/pressure/cpu', '/proc/loadavg']);
  });

  it('with more cores: room while fewer than cores - 1 others are runnable', () => {
    expect(freeOn(4, 3)).toBe(true);
    expect(freeOn(4, 4)).toBe(false);
    expect(freeOn(1, 1)).toBe(false);
  });

  it('says nothing without a pressure file (no PSI), or without a run queue it can parse', () => {
    expect(freeOn(2, 1, undefined, false)).toBeNull();
    expect(freeOn(8, 1, undefined, false)).toBeNull();
    expect(freeOn(2, null)).toBeNull();
    expect(
      coreFreeNow(
        2,
        (path) => (path === '/proc/loadavg' ? '0.1 0.1 0.1\n' : pressureText(1)),
        () => [],
      ),
    ).toBeNull();
  });

  it('reads this machine without throwing', () => {
    expect([true, false, null]).toContain(coreFreeNow(2));
  });
});

describe('no task waiting for a CPU since a mark', () => {
  /** The stall counter at `totalUs` read at `atMs`. */
  const at = (totalUs: number | null, atMs: number) => ({
    read: (path: string): string | null => (path === '/proc/pressure/cpu' && totalUs !== null ? pressureText(totalUs) : null),
    now: () => atMs,
  });

  it('reads the counter of "some" stalls, or nothing without PSI', () => {
    const { read, now } = at(123_456, 40);
    expect(stallMark(read, now)).toEqual({ totalUs: 123_456, atMs: 40 });
    expect(stallMark(at(null, 40).read, now)).toBeNull();
    expect(stallMark(() => 'full avg10=0.00 avg60=0.00 avg300=0.00 total=9\n', now)).toBeNull();
  });

  it('is free while stalls took less than STALL_BUSY_SHARE of the interval', () => {
    const mark = { totalUs: 1_000_000, atMs: 100 };
    // 150 ms later: 10 ms of stalls (our own helpers) is free; 90 ms (the share) or 140 ms (another busy task) is not.
    const after = (stalledUs: number) => at(1_000_000 + stalledUs, 250);
    expect(stillFree(mark, after(10_000).read, after(10_000).now)).toBe(true);
    expect(stillFree(mark, after(150_000 * STALL_BUSY_SHARE - 1).read, after(0).now)).toBe(true);
    expect(stillFree(mark, after(150_000 * STALL_BUSY_SHARE).read, after(0).now)).toBe(false);
    expect(stillFree(mark, after(140_000).read, after(140_000).now)).toBe(false);
  });

  it('keeps the first reading when the interval is too short or the counter is gone', () => {
    const mark = { totalUs: 0, atMs: 100 };
    const soon = at(10_000, 100 + STALL_MIN_INTERVAL_MS - 1);
    expect(stillFree(mark, soon.read, soon.now)).toBe(true);
    const gone = at(null, 400);
    expect(stillFree(mark, gone.read, gone.now)).toBe(true);
  });
});

describe('the stream lane by default', () => {
  const free = (): boolean => true;
  const busy = (): boolean => false;
  const silent = (): null => null;

  it('runs while a core is free, not while none is, and by core count where the kernel does not say', () => {
    expect(streamLaneByDefault({}, 2, free)).toBe(true);
    expect(streamLaneByDefault({}, 2, busy)).toBe(false);
    expect(streamLaneByDefault({}, 8, busy)).toBe(false);
    expect(streamLaneByDefault({}, 2, silent)).toBe(false);
    expect(streamLaneByDefault({}, 4, silent)).toBe(true);
  });

  it('is forced by the environment switch either way', () => {
    expect(streamLaneByDefault({ [STREAM_LANE_ENV]: 'on' }, 2, busy)).toBe(true);
    expect(streamLaneByDefault({ [STREAM_LANE_ENV]: 'off' }, 8, free)).toBe(false);
    // Anything else: decided at run time.
    expect(forcedStreamLane({ [STREAM_LANE_ENV]: 'yes' })).toBeNull();
    expect(streamLaneByDefault({ [STREAM_LANE_ENV]: 'yes' }, 2, busy)).toBe(false);
    expect(streamLaneByDefault({ [STREAM_LANE_ENV]: 'yes' }, 2, free)).toBe(true);
  });
});

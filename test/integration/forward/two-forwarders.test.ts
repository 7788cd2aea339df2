/**
 * Two forwarders on one home (`airlock watch` and `airlock audit forward --follow`, or the app):
 * one delivers, the other waits for the lease and takes over when the first stops. The JSON-lines
 * file then holds every seq exactly once: no second writer, no rotation race, no cursor moved back.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forwardStatusOf, startForwarder } from '../../../electron/core/forward/index.js';
import type { ForwardConfig } from '../../../electron/core/home/forward-config.js';
import { openStationContext } from '../../../electron/core/station/context.js';
import { sleep } from '../../helpers/forward-checks.js';
import { makeForwardHome } from '../../helpers/forward-home.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function waitForDelivered(check: () => number, seq: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (check() < seq) {
    if (Date.now() > deadline) throw new Error(`not delivered up to #${seq} (at #${check()})`);
    await sleep(50);
  }
}

describe('two forwarders on one home', () => {
  it('deliver each event once: one holds the lease, the other takes over when it stops', async () => {
    const dir = await tempDir('airlock-fwd-two-');
    const path = join(dir, 'audit.jsonl');
    const forward: ForwardConfig = { jsonLines: { path, maxBytes: 8192, keep: 1000 } };
    const station = await makeForwardHome(join(dir, 'home'), forward);
    const other = await openStationContext({ home: station.home });
    const firstStop = new AbortController();
    const secondStop = new AbortController();
    let secondWaited = false;
    try {
      station.appendMany(200);
      const first = startForwarder(station.context, { signal: firstStop.signal, pollMs: 20 });
      await waitForDelivered(() => forwardStatusOf(station.context.database(), forward).sinks[0]?.deliveredSeq ?? 0, 200);
      const second = startForwarder(other, {
        signal: secondStop.signal,
        pollMs: 20,
        leaseRetryMs: 50,
        onWaitingForLease: () => {
          secondWaited = true;
        },
      });
      await sleep(200);
      expect(secondWaited).toBe(true);
      station.appendMany(100);
      await waitForDelivered(() => forwardStatusOf(station.context.database(), forward).sinks[0]?.deliveredSeq ?? 0, 300);
      firstStop.abort();
      await first;
      station.appendMany(100);
      await waitForDelivered(() => forwardStatusOf(station.context.database(), forward).sinks[0]?.deliveredSeq ?? 0, 400);
      secondStop.abort();
      await second;
      const names = (await readdir(dir)).filter((name) => name.startsWith('audit.jsonl'));
      const text = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
      const seqs = text
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as { event: { sequence: number } }).event.sequence)
        .sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    } finally {
      firstStop.abort();
      secondStop.abort();
      other.close();
      station.close();
    }
  });
});

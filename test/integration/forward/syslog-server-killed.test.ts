/**
 * rsyslog killed (-9) and restarted mid-stream, over TCP and over TLS: plain syslog has no
 * acknowledgement, so what the server had read but not yet written dies with it. The forwarder
 * counts an event delivered only after a round trip proved the server read it and the server then
 * stayed up (docs/siem.md); after a kill it sends again from the cursor. Every seq must arrive,
 * duplicates only as the same event under the same seq. Kill instants and the event stream come
 * from a seeded random, printed on failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { forwardStatusOf, startForwarder } from '../../../electron/core/forward/index.js';
import { SD_ID } from '../../../electron/core/forward/syslog-format.js';
import type { ForwardConfig } from '../../../electron/core/home/forward-config.js';
import { expectEverySeqOnce, sleep, everySeqIn } from '../../helpers/forward-checks.js';
import { makeForwardHome } from '../../helpers/forward-home.js';
import { startRsyslog, type RsyslogServer } from '../../helpers/rsyslog-process.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const servers: RsyslogServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.dispose()));
});

describe.each([{ tls: false }, { tls: true }])('rsyslog killed -9 and restarted mid-stream (tls: $tls)', ({ tls }) => {
  it('delivers every seq, duplicates only as the same event', { timeout: 240_000 }, async () => {
    const seed = Number(process.env.AIRLOCK_FAULT_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const server = await startRsyslog({ tls });
    servers.push(server);
    const stationName = `killed-${tls ? 'tls' : 'tcp'}-${seed}`;
    const forward: ForwardConfig = { syslog: { url: server.url, ...(server.tls ? { ca: server.tls.ca.certFile } : {}) } };
    const station = await makeForwardHome(await tempDir('airlock-fwd-kill-'), forward, { stationName });
    const stop = new AbortController();
    // Small batches: many round trips, so kills land before, during and after them.
    const forwarder = startForwarder(station.context, { signal: stop.signal, pollMs: 50, backoffMs: 100, syslog: { roundTripEvery: 300 } });
    try {
      let producingOn = true;
      // A trickle of events all along, and a large burst right before each kill, so kills land
      // while bytes are in the kernel's buffers or rsyslog's queue, not only between batches.
      const producing = (async () => {
        while (producingOn) {
          station.appendMany(1 + Math.floor(random() * 20));
          await sleep(Math.floor(random() * 40));
        }
      })();
      const killer = async (): Promise<void> => {
        for (let kill = 0; kill < 4; kill += 1) {
          await sleep(200 + Math.floor(random() * 800));
          station.appendMany(500 + Math.floor(random() * 1500));
          await sleep(Math.floor(random() * 80));
          await server.kill();
          await sleep(50 + Math.floor(random() * 500));
          await server.start();
        }
        producingOn = false;
      };
      const killing = killer();
      await Promise.all([producing, killing]);
      const head = (station.context.database().prepare('SELECT MAX(seq) AS seq FROM audit_events').get() as { seq: number }).seq;
      const deadline = Date.now() + 120_000;
      while (forwardStatusOf(station.context.database(), forward).sinks[0]?.deliveredSeq !== head) {
        if (Date.now() > deadline)
          throw new Error(`seed ${seed}: the cursor did not reach #${head}: ${JSON.stringify(forwardStatusOf(station.context.database(), forward))}`);
        await sleep(100);
      }
      // rsyslog writes what it read to its file from its own queue, a moment after: wait for that before counting.
      await server.waitFor((messages) => everySeqIn(messages, stationName, head), 90_000).catch(() => undefined);
      const ours = (await server.messages()).filter((m) => m.hostname === stationName);
      const copies = ours.map((m) => ({ seq: Number(m.params[SD_ID]?.['seq']), content: m.sd }));
      const { duplicates } = expectEverySeqOnce(copies, head);
      // Each kill made the forwarder send again from its cursor: the fault was real.
      expect(duplicates, `seed ${seed}`).toBeGreaterThan(0);
    } finally {
      stop.abort();
      await forwarder;
      station.close();
    }
  });
});

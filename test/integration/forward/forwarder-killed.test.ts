/**
 * Our own forwarder killed (-9) at random instants and started again, while events keep coming:
 * `airlock audit forward --follow` as a real child process, feeding a real rsyslog (TCP) and a
 * JSON-lines file that rotates every few KiB. After the last start has caught up: rsyslog has
 * every seq, duplicates only as the same event; the files hold every seq as whole lines only
 * (a line torn by a kill mid-write is cut back on the next start and written again), none split
 * across a rotation, none lost to one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardStatusOf } from '../../../electron/core/forward/index.js';
import { SD_ID } from '../../../electron/core/forward/syslog-format.js';
import type { ForwardConfig } from '../../../electron/core/home/forward-config.js';
import { CLI_BIN, REPO_ROOT } from '../../helpers/cli-runner.js';
import { expectEverySeqOnce, sleep, everySeqIn } from '../../helpers/forward-checks.js';
import { makeForwardHome } from '../../helpers/forward-home.js';
import { startRsyslog, type RsyslogServer } from '../../helpers/rsyslog-process.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { killOnExit } from '../../helpers/test-daemons.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
let rsyslog: RsyslogServer;
beforeAll(async () => {
  rsyslog = await startRsyslog();
});
afterAll(async () => {
  await rsyslog?.dispose();
});

const MAX_BYTES = 16 * 1024;

function startForwarderProcess(home: string): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'AIRLOCK_HOME']) delete env[name];
  const child = spawn(process.execPath, [CLI_BIN, '--home', home, 'audit', 'forward', '--follow'], { cwd: REPO_ROOT, env, stdio: 'ignore' });
  killOnExit(child);
  return child;
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

async function jsonLinesCopies(path: string): Promise<{ copies: Array<{ seq: number; content: string }>; files: Array<{ name: string; bytes: number }> }> {
  const dir = join(path, '..');
  const base = path.slice(dir.length + 1);
  const names = (await readdir(dir)).filter((name) => name === base || /^\d+$/u.test(name.slice(base.length + 1)));
  const copies: Array<{ seq: number; content: string }> = [];
  const files: Array<{ name: string; bytes: number }> = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    files.push({ name, bytes: Buffer.byteLength(text) });
    expect(text === '' || text.endsWith('\n'), `${name} ends with a whole line`).toBe(true);
    for (const line of text.split('\n').slice(0, -1)) {
      const document = JSON.parse(line) as { event: { sequence: number } };
      copies.push({ seq: document.event.sequence, content: line });
    }
  }
  return { copies, files };
}

describe('the forwarder killed -9 and restarted mid-stream', () => {
  it('delivers every seq to rsyslog and to the rotating JSON-lines file', { timeout: 420_000 }, async () => {
    const seed = Number(process.env.AIRLOCK_FAULT_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const dir = await tempDir('airlock-fwd-self-');
    const linesPath = join(dir, 'siem', 'audit.ecs.jsonl');
    await mkdir(join(dir, 'siem'));
    const stationName = `self-killed-${seed}`;
    const forward: ForwardConfig = { syslog: { url: rsyslog.url }, jsonLines: { path: linesPath, maxBytes: MAX_BYTES, keep: 1000 } };
    const station = await makeForwardHome(join(dir, 'home'), forward, { stationName });
    let child = startForwarderProcess(station.home);
    try {
      let producingOn = true;
      const producing = (async () => {
        while (producingOn) {
          station.appendMany(1 + Math.floor(random() * 30), (i) => (i % 7 === 0 ? { bundleName: `naughty\n]"\\ ${i}\u202e` } : {}));
          await sleep(Math.floor(random() * 30));
        }
      })();
      for (let kill = 0; kill < 4; kill += 1) {
        await sleep(1_500 + Math.floor(random() * 2_500));
        station.appendMany(200 + Math.floor(random() * 600));
        await sleep(Math.floor(random() * 300));
        await stopProcess(child, 'SIGKILL');
        child = startForwarderProcess(station.home);
      }
      producingOn = false;
      await producing;
      const head = (station.context.database().prepare('SELECT MAX(seq) AS seq FROM audit_events').get() as { seq: number }).seq;
      const deadline = Date.now() + 150_000;
      for (;;) {
        const status = forwardStatusOf(station.context.database(), forward);
        if (status.sinks.every((sink) => sink.deliveredSeq === head)) break;
        if (Date.now() > deadline) throw new Error(`seed ${seed}: the cursors did not reach #${head}: ${JSON.stringify(status)}`);
        await sleep(200);
      }
      await stopProcess(child, 'SIGTERM');

      // The cursor moved once rsyslog had read the events; its own queue writes them to the file a
      // moment later (seconds on a loaded machine): wait for that before counting.
      await rsyslog.waitFor((messages) => everySeqIn(messages, stationName, head), 90_000).catch(() => undefined);
      const received = (await rsyslog.messages()).filter((m) => m.hostname === stationName);
      // (Whether a kill landed between sending and confirming depends on the machine's speed: a kill
      // during a slow start-up sends nothing twice. The rsyslog kill test asserts the repeats.)
      expectEverySeqOnce(
        received.map((m) => ({ seq: Number(m.params[SD_ID]?.['seq']), content: m.sd })),
        head,
      );
      const { copies, files } = await jsonLinesCopies(linesPath);
      expectEverySeqOnce(copies, head);
      expect(files.length, `seed ${seed}: the file rotated`).toBeGreaterThan(3);
      for (const file of files) expect(file.bytes, file.name).toBeLessThanOrEqual(MAX_BYTES);
    } finally {
      await stopProcess(child, 'SIGKILL');
      station.close();
    }
  });
});

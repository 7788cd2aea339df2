/**
 * Audit forwarding (issue #17.6): 100,000 audit events delivered to a real rsyslog over TLS (RFC
 * 5425, the test CA) by `airlock audit forward` (the built CLI, as operators run it) under GNU
 * time. Throughput is events over the time from the command's start (process start-up included)
 * to the moment rsyslog has written the last one (polled from its output file); the command then
 * also waits out the confirmation window (docs/siem.md) before it moves the cursor and exits,
 * which is reported apart. rsyslog stores the messages as received (no parsing), like a relay.
 * Targets: >= 20,000 events/s, peak RSS < 150 MB.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeForwardHome } from '../test/helpers/forward-home.js';
import { startRsyslog } from '../test/helpers/rsyslog-process.js';
import { measure } from './measure.js';

export interface ForwardBenchReport {
  events: number;
  /** Start of delivery to the last event written by rsyslog. */
  deliverySeconds: number;
  eventsPerSecond: number;
  /** The one-shot run as a whole, confirmation window included. */
  oneShotSeconds: number;
  maxRssKiB: number;
  confirmedSeq: number;
  targets: { throughput: boolean; rss: boolean };
  allTargetsPass: boolean;
}

const TARGET_EVENTS_PER_SECOND = 20_000;
/** 150 MB read as MiB, like every size in the bench (binary units only). */
const TARGET_RSS_BYTES = 150 * 1024 * 1024;

/** Count newlines appended to `path` since `offset`; returns the new offset and count. */
async function countNewLines(path: string, from: { offset: number; lines: number }): Promise<{ offset: number; lines: number }> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size <= from.offset) return from;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let { offset, lines } = from;
    while (offset < size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - offset), offset);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i += 1) if (buffer[i] === 0x0a) lines += 1;
      offset += bytesRead;
    }
    return { offset, lines };
  } finally {
    await handle.close();
  }
}

export async function runForwardBench(options: { root: string; events: number; log: (message: string) => void }): Promise<ForwardBenchReport> {
  const { root, events, log } = options;
  const rsyslog = await startRsyslog({ tls: true, output: 'raw', dir: join(root, 'rsyslog') });
  try {
    const tls = rsyslog.tls;
    if (tls === null) throw new Error('rsyslog started without TLS');
    const station = await makeForwardHome(join(root, 'forward-home'), { syslog: { url: rsyslog.url, ca: tls.ca.certFile } }, { stationName: 'bench-forward' });
    log(`  appending ${events} audit events ...`);
    for (let done = 0; done < events; done += 10_000) station.appendMany(Math.min(10_000, events - done));
    station.close();
    const output = join(rsyslog.dir, 'messages.jsonl');
    const home = join(root, 'forward-home');
    const before = await countNewLines(output, { offset: 0, lines: 0 });
    log(`  delivering them to rsyslog over TLS ...`);
    const target = before.lines + events;
    let seen = before;
    let lastAt = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        seen = await countNewLines(output, seen);
        if (seen.lines >= target && lastAt === 0) lastAt = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const started = Date.now();
    const measured = await measure(
      {
        argv: [process.execPath, join(import.meta.dirname, '..', 'bin', 'airlock.cjs'), '--home', home, 'audit', 'forward', '--json'],
        cwd: join(import.meta.dirname, '..'),
      },
      join(root, 'forward-time.txt'),
    );
    const finished = Date.now();
    const deadline = Date.now() + 60_000;
    while (lastAt === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    polling = false;
    await poller;
    const result = JSON.parse(measured.stdout.trim().split('\n').at(-1) ?? '{}') as { sinks?: Array<{ deliveredSeq: number }> };
    const confirmedSeq = result.sinks?.[0]?.deliveredSeq ?? 0;
    if (lastAt === 0) throw new Error(`rsyslog wrote ${seen.lines - before.lines} of ${events} events`);
    const deliverySeconds = (lastAt - started) / 1000;
    const eventsPerSecond = events / deliverySeconds;
    const throughput = eventsPerSecond >= TARGET_EVENTS_PER_SECOND;
    const rss = measured.maxRssKiB * 1024 < TARGET_RSS_BYTES;
    return {
      events,
      deliverySeconds,
      eventsPerSecond,
      oneShotSeconds: (finished - started) / 1000,
      maxRssKiB: measured.maxRssKiB,
      confirmedSeq,
      targets: { throughput, rss },
      allTargetsPass: throughput && rss && confirmedSeq === events,
    };
  } finally {
    await rsyslog.dispose();
  }
}

export function renderForwardText(report: ForwardBenchReport): string {
  const mark = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
  return [
    'Audit forwarding: `airlock audit forward` to rsyslog over TLS (RFC 5425)',
    `  events                      ${report.events}`,
    `  delivered in                ${report.deliverySeconds.toFixed(2)} s (start to the last event written by rsyslog)`,
    `  throughput                  ${Math.round(report.eventsPerSecond)} events/s   target >= ${TARGET_EVENTS_PER_SECOND}   ${mark(report.targets.throughput)}`,
    `  peak RSS                    ${(report.maxRssKiB / 1024).toFixed(1)} MiB   target < 150 MiB   ${mark(report.targets.rss)}`,
    `  one-shot run                ${report.oneShotSeconds.toFixed(2)} s (includes the confirmation window before the cursor moves)`,
    `  cursor confirmed            #${report.confirmedSeq}${report.confirmedSeq === report.events ? '' : '   MISS: not every event confirmed'}`,
  ].join('\n');
}

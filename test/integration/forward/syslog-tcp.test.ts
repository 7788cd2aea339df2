/**
 * Audit events to a real rsyslog over plain TCP (RFC 5425 octet counting): every event arrives
 * once per delivery with its structured data as rsyslog's own parser (mmpstrucdata) reads it, and
 * the cursor moves to the head; new events appended while the forwarder runs follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverNow, forwardStatusOf, startForwarder } from '../../../electron/core/forward/index.js';
import { SD_ID } from '../../../electron/core/forward/syslog-format.js';
import { makeForwardHome, TEST_FINGERPRINT, type ForwardHome } from '../../helpers/forward-home.js';
import { startRsyslog, type RsyslogServer } from '../../helpers/rsyslog-process.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
let rsyslog: RsyslogServer;

beforeAll(async () => {
  rsyslog = await startRsyslog();
});
afterAll(async () => {
  await rsyslog?.dispose();
});

async function home(): Promise<ForwardHome> {
  return makeForwardHome(await tempDir('airlock-fwd-'), { syslog: { url: rsyslog.url } });
}

describe('syslog over TCP to rsyslog', () => {
  it('delivers the backlog with every event field in the structured data and moves the cursor', async () => {
    const station = await home();
    try {
      station.appendMany(25);
      station.append({ type: 'verify', outcome: 'rejected', problemCodes: ['SIGNATURE_INVALID', 'CHECKSUM_MISMATCH'], signers: [] });
      station.append({ type: 'export', outcome: 'failed', errorCode: 'NO_SPACE', bundleName: null, bundleUuid: null, signers: [] });
      const result = await deliverNow(station.context, { signal: AbortSignal.timeout(60_000) });
      expect(result.busy).toBe(false);
      expect(result.sinks).toEqual([{ kind: 'syslog', target: rsyslog.url, deliveredSeq: 27, error: null }]);

      const ours = (await rsyslog.messages()).filter((m) => m.params[SD_ID]?.['station'] === 'station-1' && m.hostname === 'station-1');
      const bySeq = new Map(ours.map((m) => [Number(m.params[SD_ID]?.['seq']), m]));
      expect([...bySeq.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
      const events = station.context
        .database()
        .prepare('SELECT seq, hash, type, outcome, bundle_uuid, bundle_name FROM audit_events ORDER BY seq')
        .all() as Array<{
        seq: number;
        hash: string;
        type: string;
        outcome: string;
        bundle_uuid: string | null;
        bundle_name: string | null;
      }>;
      for (const event of events) {
        const message = bySeq.get(event.seq);
        const sd = message?.params[SD_ID];
        expect(sd?.['hash']).toBe(event.hash);
        expect(sd?.['type']).toBe(event.type);
        expect(message?.msgid).toBe(event.type);
        expect(sd?.['outcome']).toBe(event.outcome);
        expect(sd?.['bundleId']).toBe(event.bundle_uuid ?? undefined);
        expect(sd?.['bundleName']).toBe(event.bundle_name ?? undefined);
        expect(message?.appname).toBe('airlock');
      }
      const first = bySeq.get(1)?.params[SD_ID];
      expect(first?.['signers']).toBe(TEST_FINGERPRINT);
      expect(first?.['tagmanifestSha256']).toBe('ab'.repeat(32));
      expect(first?.['operator']).toMatch(/^Test Operator \(/u);
      // PRI: facility 13 (log audit) * 8 + severity 6 / 4 / 3 by outcome.
      expect(bySeq.get(1)?.pri).toBe(String(13 * 8 + 6));
      expect(bySeq.get(26)?.pri).toBe(String(13 * 8 + 4));
      expect(bySeq.get(26)?.params[SD_ID]?.['problems']).toBe('SIGNATURE_INVALID,CHECKSUM_MISMATCH');
      expect(bySeq.get(27)?.pri).toBe(String(13 * 8 + 3));
      expect(bySeq.get(27)?.params[SD_ID]?.['errorCode']).toBe('NO_SPACE');

      const status = forwardStatusOf(station.context.database(), { syslog: { url: rsyslog.url } });
      expect(status.sinks[0]).toMatchObject({ deliveredSeq: 27, headSeq: 27, backlog: 0, lastError: null });
    } finally {
      station.close();
    }
  });

  it('keeps delivering events appended while it runs', async () => {
    const station = await home();
    const stop = new AbortController();
    try {
      station.appendMany(3);
      const running = startForwarder(station.context, { signal: stop.signal, pollMs: 100 });
      const marker = `live-${Date.now()}`;
      for (let i = 0; i < 5; i += 1) {
        station.append({ bundleName: `${marker}-${i}` });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await rsyslog.waitFor((messages) => messages.filter((m) => m.params[SD_ID]?.['bundleName']?.startsWith(marker)).length >= 5);
      // The cursor reaches the head once the server stayed up after reading the last batch.
      const deadline = Date.now() + 30_000;
      while (forwardStatusOf(station.context.database(), { syslog: { url: rsyslog.url } }).sinks[0]?.backlog !== 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(forwardStatusOf(station.context.database(), { syslog: { url: rsyslog.url } }).sinks[0]?.deliveredSeq).toBe(8);
      stop.abort();
      await running;
    } finally {
      stop.abort();
      station.close();
    }
  });
});

/**
 * Audit events to a real rsyslog over TLS (RFC 5425) with a throwaway CA made by openssl: the
 * custom CA is trusted, a server that requires a client certificate gets ours, a server whose
 * certificate another CA signed is refused, a name that does not match is refused, and a
 * `tls://` sink never falls back to plain TCP. A refused delivery leaves the backlog in place
 * with the reason on record.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverNow, forwardStatusOf } from '../../../electron/core/forward/index.js';
import { SD_ID } from '../../../electron/core/forward/syslog-format.js';
import type { SyslogSinkConfig } from '../../../electron/core/home/forward-config.js';
import { makeForwardHome } from '../../helpers/forward-home.js';
import { RSYSLOG_READY_TIMEOUT_MS, startRsyslog, type RsyslogServer, type TlsMaterial } from '../../helpers/rsyslog-process.js';
import { freePort } from '../../helpers/test-daemons.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
let anonTls: RsyslogServer;
let mutualTls: RsyslogServer;
let plain: RsyslogServer;
let otherName: RsyslogServer;

beforeAll(async () => {
  [anonTls, mutualTls, plain, otherName] = await Promise.all([
    startRsyslog({ tls: true }),
    startRsyslog({ tls: true, requireClientCert: true }),
    startRsyslog(),
    startRsyslog({ tls: true, serverNames: 'DNS:siem.example' }),
  ]);
});
afterAll(async () => {
  await Promise.all([anonTls?.dispose(), mutualTls?.dispose(), plain?.dispose(), otherName?.dispose()]);
});

function material(server: RsyslogServer): TlsMaterial {
  if (server.tls === null) throw new Error('not a TLS server');
  return server.tls;
}

async function deliver(syslog: SyslogSinkConfig, events = 5, connectTimeoutMs?: number) {
  const station = await makeForwardHome(await tempDir('airlock-fwd-tls-'), { syslog });
  try {
    station.appendMany(events);
    const result = await deliverNow(station.context, { signal: AbortSignal.timeout(60_000), syslog: { connectTimeoutMs } });
    const status = forwardStatusOf(station.context.database(), { syslog });
    return { result, status, home: station.home };
  } finally {
    station.close();
  }
}

/** For a delivery that should have gone through: whether the server still runs, who listens on its port, and its log. */
async function why(server: RsyslogServer, error: string | null | undefined): Promise<string | undefined> {
  return error ? `delivery failed (${error}); ${await server.describe()}` : undefined;
}

function received(messages: Awaited<ReturnType<RsyslogServer['messages']>>): number[] {
  return messages.map((m) => Number(m.params[SD_ID]?.['seq'])).filter((seq) => Number.isInteger(seq));
}

describe('the rsyslog harness', () => {
  it('says at once, naming who holds it, when its rsyslogd could not bind the port (not a minute of probes answered by someone else)', async () => {
    // What a port handed out twice looked like: an HTTP server there, answering a TLS hello with non-TLS bytes.
    const port = await freePort();
    const intruder = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    intruder.listen(port, '127.0.0.1');
    await once(intruder, 'listening');
    const started = Date.now();
    try {
      const error = (await startRsyslog({ tls: true, requireClientCert: true, port }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(new RegExp(`could not bind 127\\.0\\.0\\.1:${port}; listening on port ${port}:[\\s\\S]*pid=${process.pid}\\b`, 'u'));
      expect(Date.now() - started).toBeLessThan(RSYSLOG_READY_TIMEOUT_MS);
    } finally {
      intruder.close();
    }
  });
});

describe('syslog over TLS to rsyslog', () => {
  it('delivers with a custom CA: every event arrives with its structured data', async () => {
    const before = (await anonTls.messages()).length;
    const { result, status } = await deliver({ url: anonTls.url, ca: material(anonTls).ca.certFile }, 7);
    expect(result.sinks[0], await why(anonTls, result.sinks[0]?.error)).toMatchObject({ deliveredSeq: 7, error: null });
    expect(status.sinks[0]).toMatchObject({ backlog: 0, lastError: null });
    const messages = (await anonTls.messages()).slice(before);
    expect(received(messages).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(messages.every((m) => m.params[SD_ID]?.['type'] === 'import' && m.params[SD_ID]?.['hash']?.length === 64)).toBe(true);
  });

  it('presents the client certificate a server requires', async () => {
    const tls = material(mutualTls);
    const { result } = await deliver({ url: mutualTls.url, ca: tls.ca.certFile, cert: tls.client.certFile, key: tls.client.keyFile }, 3);
    expect(result.sinks[0], await why(mutualTls, result.sinks[0]?.error)).toMatchObject({ deliveredSeq: 3, error: null });
    await mutualTls.waitFor((messages) => received(messages).length >= 3);
  });

  it('gets nothing through to a server that requires a client certificate when it has none', async () => {
    const before = (await mutualTls.messages()).length;
    const { result, status } = await deliver({ url: mutualTls.url, ca: material(mutualTls).ca.certFile }, 2);
    expect(result.sinks[0]?.deliveredSeq).toBe(0);
    expect(result.sinks[0]?.error).not.toBeNull();
    expect(status.sinks[0]).toMatchObject({ deliveredSeq: 0, backlog: 2 });
    expect(status.sinks[0]?.lastError).not.toBeNull();
    expect((await mutualTls.messages()).length).toBe(before);
  });

  it('refuses a server whose certificate another CA signed (and sends nothing)', async () => {
    const before = (await anonTls.messages()).length;
    const { result, status } = await deliver({ url: anonTls.url, ca: material(anonTls).otherCa.certFile }, 2);
    expect(result.sinks[0]?.deliveredSeq).toBe(0);
    expect(result.sinks[0]?.error).toMatch(/certificate|self.signed|issuer/iu);
    expect(status.sinks[0]?.backlog).toBe(2);
    expect((await anonTls.messages()).length).toBe(before);
  });

  it('refuses a server whose certificate names another host', async () => {
    // Signed by the trusted CA, but for siem.example, not the 127.0.0.1 we connect to.
    const before = (await otherName.messages()).length;
    const { result } = await deliver({ url: otherName.url, ca: material(otherName).ca.certFile }, 1);
    expect(result.sinks[0]?.deliveredSeq).toBe(0);
    expect(result.sinks[0]?.error).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID|altnames/iu);
    expect((await otherName.messages()).length).toBe(before);
  });

  it('never falls back to plain TCP: a tls:// sink pointed at a plain server delivers nothing', async () => {
    const before = (await plain.messages()).length;
    const { result } = await deliver({ url: plain.url.replace('tcp://', 'tls://'), ca: material(anonTls).ca.certFile }, 2, 3_000);
    expect(result.sinks[0]?.deliveredSeq).toBe(0);
    expect(result.sinks[0]?.error).not.toBeNull();
    // Nothing readable reached the plain server: at most the TLS hello, which rsyslog cannot parse as our events.
    const after = (await plain.messages()).slice(before);
    expect(after.some((m) => m.params[SD_ID] !== undefined)).toBe(false);
  });
});

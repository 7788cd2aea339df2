/**
 * A real rsyslog for tests and the bench (issue #17.5): Debian's rsyslogd started in the foreground
 * (`rsyslogd -n -f CONFIG -i PIDFILE`) with its own config in a temp dir, imtcp on a free
 * 127.0.0.1 port, plain TCP or TLS through the OpenSSL driver (rsyslog-openssl) with certificates
 * from a throwaway CA made here with openssl (optionally requiring a client certificate). Every
 * message is written as one JSON object per line with the fields rsyslog parsed (PRI, TIMESTAMP,
 * HOSTNAME, APP-NAME, PROCID, MSGID, the STRUCTURED-DATA as received, MSG) and the SD as
 * mmpstrucdata parsed it: a differential check of our framing and escaping against rsyslog's.
 * Readiness is a probe message that arrives in the output file (a port answering is not enough:
 * another process may have taken the free port first). No vitest here (the bench uses it too);
 * a process exit kills what is left (SIGKILL), so a crashed test worker leaves no rsyslogd behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { makeServerCert, makeTestCa, type TestCa, type TestCert } from './registry-certs.js';
import { freePort, killOnExit, portHolders } from './test-daemons.js';
import { mustRun } from './tools.js';

export interface RsyslogOptions {
  /** Plain TCP (default) or TLS with the test CA's server certificate. */
  tls?: boolean | undefined;
  /** TLS only: the server requires a client certificate signed by the test CA (AuthMode x509/certvalid). */
  requireClientCert?: boolean | undefined;
  /** TLS only: the server certificate's subjectAltName; default `IP:127.0.0.1,IP:::1,DNS:localhost` (another name tests name checks). */
  serverNames?: string | undefined;
  /**
   * `parsed` (default): every field rsyslog parsed, and mmpstrucdata's parse of the SD, as JSON
   * lines (messages() reads them). `raw`: each message exactly as received, one per line, and no
   * parsing (the bench: a relay that only stores, so rsyslog's own parsing is not what is measured).
   */
  output?: 'parsed' | 'raw' | undefined;
  /** Where to keep the state; default a fresh temp dir. */
  dir?: string | undefined;
  /** This port instead of a reserved one (tests of this harness), tried once. */
  port?: number | undefined;
}

/** One message as rsyslog parsed and wrote it. */
export interface ReceivedMessage {
  pri: string;
  timestamp: string;
  hostname: string;
  appname: string;
  procid: string;
  msgid: string;
  /** STRUCTURED-DATA as received (escaped), `-` when none. */
  sd: string;
  msg: string;
  /** mmpstrucdata's parse: SD-ID -> param -> value (unescaped); {} when none. */
  params: Record<string, Record<string, string>>;
}

export interface TlsMaterial {
  ca: TestCa;
  server: TestCert;
  /** A client certificate signed by the test CA (for servers that require one). */
  client: TestCert;
  /** A second, unrelated CA: a client trusting only it must refuse the server. */
  otherCa: TestCa;
}

export interface RsyslogServer {
  dir: string;
  port: number;
  /** `tcp://127.0.0.1:PORT` or `tls://127.0.0.1:PORT`, as config.json spells it. */
  url: string;
  tls: TlsMaterial | null;
  readonly pid: number | null;
  /** Every message written so far (probes left out), in arrival order. */
  messages(): Promise<ReceivedMessage[]>;
  /** Wait until `predicate(messages)` holds (polling the output file); throws with the log after `timeoutMs`. */
  waitFor(predicate: (messages: ReceivedMessage[]) => boolean, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** rsyslogd's console output (for failure messages). */
  log(): Promise<string>;
  /** For a failure message: whether this rsyslogd still runs, who listens on its port (ss -ltnp), and its log. */
  describe(): Promise<string>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL at once (a crash): what rsyslog had read but not yet written is lost, as in a real crash. */
  kill(): Promise<void>;
  /** Start again with the same config and port; resolves when a probe message arrived. */
  start(): Promise<void>;
  /** Stop and remove the temp dir. */
  dispose(): Promise<void>;
}

export const RSYSLOG_READY_TIMEOUT_MS = 60_000;
const PROBE_APP = 'rsyslog-test-probe';

/** Test certificates: CA, server (127.0.0.1/localhost), a client certificate, and an unrelated CA. */
export async function makeTlsMaterial(dir: string, serverNames?: string): Promise<TlsMaterial> {
  const ca = await makeTestCa(join(dir, 'ca'), 'Airlock SIEM Test CA');
  const server = serverNames === undefined ? await makeServerCert(ca, join(dir, 'server')) : await makeCert(ca, join(dir, 'server'), 'server', serverNames);
  const client = await makeCert(ca, join(dir, 'client'), 'client');
  const otherCa = await makeTestCa(join(dir, 'other-ca'), 'Unrelated Test CA');
  return { ca, server, client, otherCa };
}

/** A certificate signed by `ca`: a client certificate, or a server certificate for `serverNames` (a subjectAltName value). */
async function makeCert(ca: TestCa, dir: string, role: 'client' | 'server', serverNames = ''): Promise<TestCert> {
  await mkdir(dir, { recursive: true });
  const keyFile = join(dir, `${role}.key`);
  const csrFile = join(dir, `${role}.csr`);
  const certFile = join(dir, `${role}.crt`);
  const extFile = join(dir, `${role}.ext`);
  const extensions =
    role === 'client'
      ? ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=clientAuth']
      : [`subjectAltName=${serverNames}`, 'basicConstraints=CA:FALSE', 'keyUsage=digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth'];
  await writeFile(extFile, [...extensions, ''].join('\n'));
  const subject = role === 'client' ? '/CN=airlock-station' : '/CN=syslog-test-server';
  mustRun('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', subject]);
  mustRun('openssl', [
    'x509',
    '-req',
    '-in',
    csrFile,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-out',
    certFile,
    '-days',
    '2',
    '-extfile',
    extFile,
  ]);
  return { certFile, keyFile, certPem: await readFile(certFile, 'utf8'), keyPem: await readFile(keyFile, 'utf8') };
}

function configText(options: { dir: string; port: number; out: string; tls: TlsMaterial | null; requireClientCert: boolean; raw: boolean }): string {
  const { dir, port, out, tls } = options;
  const globals = [`workDirectory="${dir}"`, 'maxMessageSize="64k"'];
  if (tls) {
    globals.push(
      `DefaultNetstreamDriverCAFile="${tls.ca.certFile}"`,
      `DefaultNetstreamDriverCertFile="${tls.server.certFile}"`,
      `DefaultNetstreamDriverKeyFile="${tls.server.keyFile}"`,
    );
  }
  const imtcp = tls
    ? `module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="${options.requireClientCert ? 'x509/certvalid' : 'anon'}")`
    : 'module(load="imtcp")';
  return [
    `global(${globals.join(' ')})`,
    imtcp,
    'module(load="mmpstrucdata")',
    `input(type="imtcp" port="${port}" address="127.0.0.1" ruleset="airlock")`,
    'template(name="airlockTest" type="list" option.jsonf="on") {',
    '  property(outname="pri" name="pri" format="jsonf")',
    '  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")',
    '  property(outname="hostname" name="hostname" format="jsonf")',
    '  property(outname="appname" name="app-name" format="jsonf")',
    '  property(outname="procid" name="procid" format="jsonf")',
    '  property(outname="msgid" name="msgid" format="jsonf")',
    '  property(outname="sd" name="structured-data" format="jsonf")',
    '  property(outname="msg" name="msg" format="jsonf")',
    '  property(outname="parsed" name="$!" format="jsonf")',
    '}',
    'template(name="airlockRaw" type="string" string="%rawmsg%\\n")',
    // rsyslogd's own messages (a framing error, a closed session, a discarded message) go to the
    // default ruleset: keep them in a file beside the console log, where log() finds them.
    `*.* action(type="omfile" file="${dir}/rsyslogd-internal.log")`,
    'ruleset(name="airlock") {',
    ...(options.raw ? [] : ['  action(type="mmpstrucdata" sd_name.lowercase="off")']),
    `  action(type="omfile" file="${out}" template="${options.raw ? 'airlockRaw' : 'airlockTest'}")`,
    '}',
    '',
  ].join('\n');
}

/**
 * Parse rsyslog's output file (one JSON object per line; a last line without its newline is still
 * being written). A rsyslogd killed mid-write leaves a torn line, which the restarted one
 * continues on: the torn part is dropped (that message did not arrive), the whole one after it kept.
 */
export function parseReceived(text: string): ReceivedMessage[] {
  const lines = text.split('\n');
  lines.pop();
  const messages: ReceivedMessage[] = [];
  for (const line of lines) {
    const message = parseLine(line) ?? parseLine(line.slice(Math.max(0, line.lastIndexOf('{"pri":'))));
    if (message !== null) messages.push(message);
  }
  return messages;
}

function parseLine(line: string): ReceivedMessage | null {
  let raw: Omit<ReceivedMessage, 'params'> & { parsed: string };
  try {
    raw = JSON.parse(line) as Omit<ReceivedMessage, 'params'> & { parsed: string };
  } catch {
    return null;
  }
  const parsed = raw.parsed === '' ? {} : (JSON.parse(raw.parsed) as { 'rfc5424-sd'?: Record<string, Record<string, string>> });
  const { parsed: _parsed, ...fields } = raw;
  return { ...fields, params: parsed['rfc5424-sd'] ?? {} };
}

/** Octet-counted (RFC 5425) bytes of one probe message. */
function probeFrame(id: string): Buffer {
  const message = Buffer.from(`<14>1 ${new Date().toISOString()} probe ${PROBE_APP} - probe - ${id}`);
  return Buffer.concat([Buffer.from(`${message.length} `), message]);
}

function sendProbe(port: number, tls: TlsMaterial | null, id: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? tlsConnect({ host: '127.0.0.1', port, ca: tls.ca.certPem, cert: tls.client.certPem, key: tls.client.keyPem, checkServerIdentity: () => undefined })
      : netConnect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 5_000);
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      socket.end(probeFrame(id));
      // The server closes after reading to our end: then it has the probe.
      socket.resume();
      socket.once('end', () => done(true));
    });
    socket.on('error', () => done(false));
  });
}

export async function startRsyslog(options: RsyslogOptions = {}): Promise<RsyslogServer> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'airlock-rsyslog-')));
  await mkdir(dir, { recursive: true });
  const tls = options.tls === true ? await makeTlsMaterial(join(dir, 'certs'), options.serverNames) : null;
  const out = join(dir, 'messages.jsonl');
  const configPath = join(dir, 'rsyslog.conf');
  const consolePath = join(dir, 'console.log');
  const pidPath = join(dir, 'rsyslogd.pid');
  let port = 0;
  let child: ChildProcess | null = null;
  let probes = 0;

  async function readAll(): Promise<ReceivedMessage[]> {
    return parseReceived(await readFile(out, 'utf8').catch(() => ''));
  }

  async function launch(): Promise<void> {
    await rm(pidPath, { force: true });
    // What an earlier launch wrote to the console stays there: only what this one writes counts.
    const consoleStart = (await stat(consolePath).catch(() => null))?.size ?? 0;
    const console = openSync(consolePath, 'a');
    try {
      child = spawn('rsyslogd', ['-n', '-f', configPath, '-i', pidPath], { stdio: ['ignore', console, console], env: { ...process.env, LC_ALL: 'C' } });
    } finally {
      closeSync(console);
    }
    const started = child;
    killOnExit(started);
    let exited = false;
    started.once('exit', () => {
      exited = true;
    });
    const deadline = Date.now() + RSYSLOG_READY_TIMEOUT_MS;
    const id = `probe-${process.pid}-${++probes}`;
    const consoleText = (): Promise<string> => readFile(consolePath, 'utf8').catch(() => '');
    for (;;) {
      if (exited) throw new Error(`rsyslogd exited while starting:\n${await consoleText()}`);
      // rsyslogd runs on without the listener it could not bind: whatever answers on the port is another process's.
      const text = (await readFile(consolePath).catch(() => Buffer.alloc(0))).subarray(consoleStart).toString('utf8');
      if (text.includes('Could not create tcp listener')) throw new Error(`rsyslogd could not bind 127.0.0.1:${port}; ${portHolders(port)}\n${text}`);
      if (await sendProbe(port, tls, id)) {
        // Our probe in the file proves this rsyslogd (not another process on the port) took it.
        for (let i = 0; i < 50; i += 1) {
          const text = await readFile(out, 'utf8').catch(() => '');
          if (text.includes(id)) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      if (Date.now() > deadline)
        throw new Error(`rsyslogd did not take a probe within ${RSYSLOG_READY_TIMEOUT_MS} ms; ${portHolders(port)}\n${await consoleText()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function halt(signal: NodeJS.Signals): Promise<void> {
    const current: ChildProcess | null = child;
    child = null;
    if (current === null || current.exitCode !== null || current.signalCode !== null) return;
    const exited = once(current, 'exit');
    current.kill(signal);
    await exited;
  }

  // No other test process is handed this port (freePort reserves it), but a process that does not
  // ask freePort may bind it first: then rsyslogd says so on its console, and another port is tried.
  for (let attempt = 1; ; attempt += 1) {
    port = options.port ?? (await freePort());
    await writeFile(configPath, configText({ dir, port, out, tls, requireClientCert: options.requireClientCert === true, raw: options.output === 'raw' }));
    try {
      await launch();
      break;
    } catch (error) {
      await halt('SIGKILL');
      if (attempt >= 3 || options.port !== undefined) {
        if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  const server: RsyslogServer = {
    dir,
    port,
    url: `${tls ? 'tls' : 'tcp'}://127.0.0.1:${port}`,
    tls,
    get pid() {
      const current: ChildProcess | null = child;
      return current?.pid ?? null;
    },
    async messages() {
      return (await readAll()).filter((m) => m.appname !== PROBE_APP);
    },
    async waitFor(predicate, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const messages = await server.messages();
        if (predicate(messages)) return messages;
        if (Date.now() > deadline)
          throw new Error(`rsyslog did not receive what the test waited for within ${timeoutMs} ms (${messages.length} messages):\n${await server.log()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async log() {
      const console = await readFile(consolePath, 'utf8').catch(() => '');
      const internal = await readFile(join(dir, 'rsyslogd-internal.log'), 'utf8').catch(() => '');
      return internal === '' ? console : `${console}\n--- rsyslogd's own messages ---\n${internal.slice(-20_000)}`;
    },
    async describe() {
      const current: ChildProcess | null = child;
      const state =
        current === null
          ? 'stopped'
          : current.exitCode !== null || current.signalCode !== null
            ? `exited (${current.exitCode ?? current.signalCode})`
            : 'running';
      return `rsyslogd ${current?.pid ?? '-'} for ${server.url}: ${state}; ${portHolders(port)}\n${await server.log()}`;
    },
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    async start() {
      await halt('SIGTERM');
      await launch();
    },
    async dispose() {
      await halt('SIGKILL');
      if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
  return server;
}

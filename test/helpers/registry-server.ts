/**
 * A real registry for tests (issue #15.7): Debian's `docker-registry` (distribution 2.8) started on
 * 127.0.0.1 at a free port, storage in a temp dir, delete enabled; optionally with htpasswd Basic
 * auth, Bearer-token auth (a tiny token server in this process, registry-token-server.ts) or TLS
 * from a throwaway CA (registry-certs.ts). `useRegistryServer()` starts it in beforeAll and stops it
 * in afterAll, also when a test failed; a process exit kills what is left (SIGKILL), so a crashed
 * test worker leaves no registry behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, killOnExit, portHolders } from './test-daemons.js';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import { makeTestCa, makeServerCert, type TestCa } from './registry-certs.js';
import { startTokenServer, type TokenServer } from './registry-token-server.js';
import { mustRun } from './tools.js';

export interface RegistryServerOptions {
  /** Basic auth through an htpasswd file (bcrypt, made with `htpasswd -nbB`, apache2-utils). */
  htpasswd?: Record<string, string> | undefined;
  /** Bearer-token auth: users the token server accepts (Basic to the token endpoint). */
  token?: { users: Record<string, string>; anonymousPull?: boolean | undefined } | undefined;
  /** Serve HTTPS with a certificate from a fresh test CA (`caFile` in the result). */
  tls?: boolean | undefined;
}

export interface RegistryServer {
  /** `127.0.0.1:PORT`: what `--push-to` and docker:// take. */
  host: string;
  /** `http://127.0.0.1:PORT` or `https://...`. */
  url: string;
  port: number;
  storageDir: string;
  /** PEM of the test CA when tls is on. */
  caFile?: string | undefined;
  ca?: TestCa | undefined;
  tokenServer?: TokenServer | undefined;
  /** Everything the registry printed (for failure messages). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

function htpasswdLine(user: string, password: string): string {
  // -B bcrypt (the only scheme distribution reads), -C 4 the lowest cost: tests, not secrets.
  return mustRun('htpasswd', ['-nbBC', '4', user, password]).stdout.trim();
}

/** A header every answer of one registry carries: proves the registry answering on the port is the one this helper started. */
const INSTANCE_HEADER = 'X-Airlock-Test-Registry';

function configYaml(options: { port: number; storage: string; auth: string; tls: string; instance: string }): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${options.storage}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${options.port}`,
    '  secret: airlock-test-secret',
    '  headers:',
    `    ${INSTANCE_HEADER}: [${options.instance}]`,
    options.tls,
    options.auth,
    '',
  ].join('\n');
}

async function waitUntilAnswering(url: string, child: ChildProcess, dispatcher: Agent, logFile: string, instance: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}) before answering:\n${await readFile(logFile, 'utf8').catch(() => '')}`);
    }
    try {
      const response = await fetch(`${url}/v2/`, { dispatcher, signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      // Another registry (another test's) would answer 200 or 401 too.
      if (response.headers.get(INSTANCE_HEADER) !== instance)
        throw new Error(`${url} answered, but not the docker-registry started here; ${portHolders(Number(new URL(url).port))}`);
      if (response.status === 200 || response.status === 401) return;
    } catch (error) {
      if (error instanceof Error && error.message.includes('not the docker-registry started here')) throw error;
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer ${url}/v2/ within 60 s; ${portHolders(Number(new URL(url).port))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** Starts a registry; the caller must stop() it (useRegistryServer does). */
export async function startRegistry(options: RegistryServerOptions = {}): Promise<RegistryServer> {
  const dir = await mkdtemp(join(tmpdir(), 'airlock-registry-'));
  const storageDir = join(dir, 'storage');
  const logFile = join(dir, 'registry.log');
  let ca: TestCa | undefined;
  let tls = '';
  if (options.tls) {
    ca = await makeTestCa(join(dir, 'ca'));
    const cert = await makeServerCert(ca, join(dir, 'server'));
    tls = ['  tls:', `    certificate: ${cert.certFile}`, `    key: ${cert.keyFile}`].join('\n');
  }
  let auth = '';
  let tokenServer: TokenServer | undefined;
  if (options.htpasswd) {
    const file = join(dir, 'htpasswd');
    await writeFile(
      file,
      Object.entries(options.htpasswd)
        .map(([user, password]) => htpasswdLine(user, password))
        .join('\n') + '\n',
    );
    auth = ['auth:', '  htpasswd:', '    realm: airlock-test', `    path: ${file}`].join('\n');
  } else if (options.token) {
    tokenServer = await startTokenServer(join(dir, 'token'), options.token);
    auth = [
      'auth:',
      '  token:',
      `    realm: ${tokenServer.realm}`,
      `    service: ${tokenServer.service}`,
      `    issuer: ${tokenServer.issuer}`,
      `    rootcertbundle: ${tokenServer.certFile}`,
    ].join('\n');
  }
  const dispatcher = new Agent(ca ? { connect: { ca: ca.certPem } } : {});
  const scheme = options.tls ? 'https' : 'http';
  let lastError: unknown;
  // No other test process is handed this port (freePort reserves it), but a process that does not ask freePort may hold it: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const configFile = join(dir, 'config.yml');
    const instance = randomBytes(8).toString('hex');
    await writeFile(configFile, configYaml({ port, storage: storageDir, auth, tls, instance }));
    const logFd = openSync(logFile, 'a');
    const child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    killOnExit(child);
    const url = `${scheme}://127.0.0.1:${port}`;
    try {
      await waitUntilAnswering(url, child, dispatcher, logFile, instance);
    } catch (error) {
      lastError = error;
      await stopChild(child);
      continue;
    }
    await dispatcher.close();
    return {
      host: `127.0.0.1:${port}`,
      url,
      port,
      storageDir,
      caFile: ca?.certFile,
      ca,
      tokenServer,
      log: () => readFile(logFile, 'utf8'),
      stop: async () => {
        await stopChild(child);
        await tokenServer?.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await dispatcher.close();
  await tokenServer?.close();
  await rm(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/**
 * A registry for the calling test file: started in beforeAll, stopped in afterAll (whatever the
 * tests did). Call the returned function inside tests to get it.
 */
export function useRegistryServer(options: RegistryServerOptions = {}): () => RegistryServer {
  let server: RegistryServer | undefined;
  beforeAll(async () => {
    server = await startRegistry(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('registry not started (use inside a test)');
    return server;
  };
}

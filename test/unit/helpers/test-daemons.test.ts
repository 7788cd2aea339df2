/**
 * The ports test daemons get (test/helpers/test-daemons.ts): never one the kernel hands to a
 * `listen(0)` server or an outgoing connection, each worker in its own slice, and never the same
 * one to two processes, even two that start in the same slice at the same instant. The
 * syslog-TLS test once met non-TLS bytes on its rsyslog's port while two workers ran; a port
 * handed out twice is the failure this rules out.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidatePorts, freePort, listensOn, portHolders } from '../../helpers/test-daemons.js';

const HELPER = join(import.meta.dirname, '..', '..', 'helpers', 'test-daemons.ts');

function ephemeral(): [number, number] {
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/u).map(Number);
  return [low ?? 32_768, high ?? 60_999];
}

describe('candidatePorts', () => {
  it('lies outside the ephemeral range, starts in the worker’s slice, and lists each port once', () => {
    const ports = candidatePorts(3, [32_768, 60_999], () => 0.5);
    expect(ports[0]).toBe(23_500);
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports.every((p) => p >= 20_000 && p < 32_768)).toBe(true);
    expect(ports.length).toBe(12_768);
    // Another worker starts elsewhere.
    expect(candidatePorts(4, [32_768, 60_999], () => 0.5)[0]).toBe(24_500);
  });

  it('goes above the ephemeral range when there is more room there, anywhere when there is none', () => {
    expect(candidatePorts(0, [10_000, 50_000], () => 0).every((p) => p > 50_000 && p <= 65_535)).toBe(true);
    expect(candidatePorts(0, [1_024, 65_535], () => 0).length).toBe(64_512);
  });
});

describe.runIf(process.platform === 'linux')('freePort', () => {
  it('never hands one port to two processes in the same slice at once, and none from the ephemeral range', async () => {
    // Another process asking for 100 ports at the same time, as another worker would (same VITEST_POOL_ID: the worst case).
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import(${JSON.stringify(HELPER)}).then(async (m) => { const ports = []; for (let i = 0; i < 100; i += 1) ports.push(await m.freePort()); process.stdout.write(JSON.stringify(ports)); process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); })`,
      ],
      { env: { ...process.env, VITEST_POOL_ID: process.env['VITEST_POOL_ID'] ?? '1' }, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    const mine: number[] = [];
    for (let i = 0; i < 100; i += 1) mine.push(await freePort());
    // The child holds its ports until we close its stdin.
    while (!Buffer.concat(out).toString().endsWith(']')) await new Promise((resolve) => setTimeout(resolve, 50));
    const theirs = JSON.parse(Buffer.concat(out).toString()) as number[];
    child.stdin.end();
    await once(child, 'exit');
    expect(new Set(mine).size).toBe(100);
    expect(new Set(theirs).size).toBe(100);
    expect(mine.filter((p) => theirs.includes(p))).toEqual([]);
    const [low, high] = ephemeral();
    expect([...mine, ...theirs].filter((p) => p >= low && p <= high)).toEqual([]);
  }, 60_000);

  it('hands out a port it could bind just now', async () => {
    const port = await freePort();
    const server = createServer();
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    server.close();
    await once(server, 'close');
  });
});

describe.runIf(process.platform === 'linux')('portHolders, listensOn', () => {
  it('name the process listening on a port, and say when nothing does', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    try {
      expect(portHolders(port)).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}[\\s\\S]*pid=${process.pid}\\b`, 'u'));
      expect(listensOn(port, process.pid)).toBe(true);
      expect(listensOn(port, process.ppid)).toBe(false);
    } finally {
      server.close();
      await once(server, 'close');
    }
    expect(portHolders(port)).toBe(`nothing listens on port ${port}`);
  });
});

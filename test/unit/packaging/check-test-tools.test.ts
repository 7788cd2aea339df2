/**
 * `npm test` first checks that the system tools the suite drives are installed
 * (scripts/check-test-tools.mjs, the pretest script): a machine without them gets one message
 * naming the Debian packages and the next step, never a hundred failing tests.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '../../../scripts/check-test-tools.mjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(path: string) {
  return spawnSync(process.execPath, [script], { env: { PATH: path }, encoding: 'utf8' });
}

describe('pretest: the system tools the suite drives', () => {
  it('names each missing program with its Debian package and says what to run next', () => {
    const empty = mkdtempSync(join(tmpdir(), 'airlock-no-tools-'));
    dirs.push(empty);
    const result = run(empty);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('gpg (gnupg)');
    expect(result.stderr).toContain('docker-registry (docker-registry)');
    expect(result.stderr).toMatch(/Next: install them .*apt-get install -y --no-install-recommends .*gnupg/u);
    expect(result.stderr).toContain('bash .ci/run');
  });

  it('passes when every program is found on PATH', () => {
    const stubs = mkdtempSync(join(tmpdir(), 'airlock-tools-'));
    dirs.push(stubs);
    const listed = [...readFileSync(script, 'utf8').matchAll(/\['([a-z0-9.-]+)', '[a-z0-9.-]+'\]/gu)].map((m) => m[1] as string);
    expect(listed.length).toBeGreaterThan(10);
    for (const program of listed) {
      writeFileSync(join(stubs, program), '#!/bin/sh\n');
      chmodSync(join(stubs, program), 0o755);
    }
    const result = run(stubs);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('asks for every package .ci/run installs for it', () => {
    const ciRun = readFileSync(join(import.meta.dirname, '../../../.ci/run'), 'utf8');
    const apt = /APT_PACKAGES="([^"]+)"/u.exec(ciRun)?.[1]?.split(' ') ?? [];
    const packages = [...readFileSync(script, 'utf8').matchAll(/\['[a-z0-9.-]+', '([a-z0-9.-]+)'\]/gu)].map((m) => m[1] as string);
    for (const pkg of packages) expect(apt, `${pkg} is checked by pretest but not installed by .ci/run`).toContain(pkg);
  });
});

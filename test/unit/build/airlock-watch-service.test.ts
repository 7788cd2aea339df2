/**
 * The systemd unit for `airlock watch` (build/systemd/airlock-watch@.service, docs/watch.md): the
 * hardening options the issue asks for are set, the command is the contract form, and where
 * systemd-analyze is installed the unit verifies (with the installed binary and man page, which
 * this machine lacks, swapped for a stand-in).
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUnit } from '../../helpers/systemd-unit.js';

const UNIT = join(import.meta.dirname, '..', '..', '..', 'build', 'systemd', 'airlock-watch@.service');

describe('build/systemd/airlock-watch@.service', () => {
  it('runs `airlock watch INBOX --dest DIR` under the hardening options', async () => {
    const unit = parseUnit(await readFile(UNIT, 'utf8'));
    const service = unit.get('Service')!;
    const one = (key: string): string | undefined => service.get(key)?.at(-1);
    expect(one('ExecStart')).toMatch(/^\/usr\/bin\/airlock watch \$\{AIRLOCK_INBOX\} --dest \$\{AIRLOCK_DEST\}/u);
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('KillSignal')).toBe('SIGTERM');
    // The inbox (its instance folder), the destination inside it, and the home are the only writable places.
    const writable = (service.get('ReadWritePaths') ?? []).join(' ').split(/\s+/u);
    expect(writable).toEqual(expect.arrayContaining(['/var/lib/airlock/home', '/srv/airlock/%i']));
    const env = (service.get('Environment') ?? []).join('\n');
    expect(env).toContain('AIRLOCK_INBOX=/srv/airlock/%i/inbox');
    expect(env).toContain('AIRLOCK_DEST=/srv/airlock/%i/dest');
    expect(env).toContain('AIRLOCK_HOME=/var/lib/airlock/home');
    expect(one('User')).toBe('airlock');
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  // systemd-analyze is one of the tools the suite requires (scripts/check-test-tools.mjs; .ci/run installs systemd).
  it('verifies with systemd-analyze', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-unit-'));
    try {
      const stand = join(dir, 'airlock');
      await writeFile(stand, '#!/bin/sh\nexit 0\n');
      await chmod(stand, 0o755);
      const text = (await readFile(UNIT, 'utf8')).replace('/usr/bin/airlock', stand).replace(/^Documentation=.*$/mu, '');
      const instance = join(dir, 'airlock-watch@diode-a.service');
      await writeFile(instance, text);
      const verify = spawnSync('systemd-analyze', ['verify', instance], { encoding: 'utf8' });
      expect(`${verify.stdout}${verify.stderr}`.trim()).toBe('');
      expect(verify.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The systemd unit for `airlock audit forward --follow` (build/systemd/airlock-forward@.service,
 * docs/siem.md): the same hardening as the watch unit, writable only the station home and the
 * JSON-lines folder, and systemd-analyze verifies it (with the installed binary and man page, which
 * this machine lacks, swapped for a stand-in).
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUnit } from '../../helpers/systemd-unit.js';

const UNIT = join(import.meta.dirname, '..', '..', '..', 'build', 'systemd', 'airlock-forward@.service');

describe('build/systemd/airlock-forward@.service', () => {
  it('runs `airlock audit forward --follow` for the instance home under the hardening options', async () => {
    const unit = parseUnit(await readFile(UNIT, 'utf8'));
    const service = unit.get('Service')!;
    const one = (key: string): string | undefined => service.get(key)?.at(-1);
    expect(one('ExecStart')).toBe('/usr/bin/airlock audit forward --follow');
    expect((service.get('Environment') ?? []).join('\n')).toContain('AIRLOCK_HOME=/var/lib/airlock/%i');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(one('User')).toBe('airlock');
    // The home (cursor, lease) and the JSON-lines folder, if present, are the only writable places.
    const writable = (service.get('ReadWritePaths') ?? []).join(' ').split(/\s+/u);
    expect(writable.sort()).toEqual(['-/var/log/airlock', '/var/lib/airlock/%i']);
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('verifies with systemd-analyze', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-unit-'));
    try {
      const stand = join(dir, 'airlock');
      await writeFile(stand, '#!/bin/sh\nexit 0\n');
      await chmod(stand, 0o755);
      const text = (await readFile(UNIT, 'utf8')).replace('/usr/bin/airlock', stand).replace(/^Documentation=.*$/mu, '');
      const instance = join(dir, 'airlock-forward@home.service');
      await writeFile(instance, text);
      const verify = spawnSync('systemd-analyze', ['verify', instance], { encoding: 'utf8' });
      expect(`${verify.stdout}${verify.stderr}`.trim()).toBe('');
      expect(verify.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

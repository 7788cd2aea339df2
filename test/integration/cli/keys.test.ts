/**
 * `airlock keys ...`: the station key on disk (modes), trusting signers by fingerprint (and
 * refusing what must not be trusted), listing, untrusting, and exporting public keys that
 * GnuPG reads with the same fingerprint.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { createStation, stationAt, TEST_PASSPHRASE, type ErrorJson, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let gnupg: GnupgHome;
let aliceFpr: string;
let alicePub: string;
let keyFiles: string;

interface ListJson {
  ok: true;
  stationKey: boolean;
  trusted: Array<{ fingerprint: string; label: string | null; role: string | null; userIds: string[]; algorithm: string; addedAt: string; publicKey?: string }>;
}

beforeAll(async () => {
  gnupg = await GnupgHome.create();
  aliceFpr = gnupg.generateKey('Alice Sender <alice@example.org>');
  keyFiles = await makeTemp('airlock-keys-files-');
  alicePub = await gnupg.writePublic(aliceFpr, join(keyFiles, 'alice.asc'));
});

afterAll(async () => {
  await gnupg?.close();
});

async function list(station: TestStation): Promise<ListJson> {
  const result = await station.run(['keys', 'list', '--json']);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<ListJson>(result);
}

/** A home with no key yet (receivers need none to trust and verify). */
async function bareStation(): Promise<TestStation> {
  const root = await makeTemp('airlock-keys-bare-');
  return stationAt(join(root, 'home'), join(root, 'no-passphrase'));
}

describe('keys generate', () => {
  it('creates the station key with private key and revocation certificate at mode 0600, and trusts it as "this station"', async () => {
    const root = await makeTemp('airlock-keys-gen-');
    const passFile = join(root, 'pw');
    await writeFile(passFile, `${TEST_PASSPHRASE}\n`);
    const home = join(root, 'home');
    const station = stationAt(home, passFile);
    const result = await station.run(['keys', 'generate', '--name', 'Gate 7', '--email', 'gate7@example.org', '--passphrase-file', passFile, '--json']);
    expect(result.code, describeResult(result)).toBe(0);
    const { key } = parseJson<{ ok: true; key: { fingerprint: string; userIds: string[]; algorithm: string } }>(result);
    expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/u);
    expect(key.userIds).toEqual(['Gate 7 <gate7@example.org>']);
    expect(key.algorithm).toMatch(/ed25519/iu);

    const keysDir = join(home, 'keys');
    expect((await stat(keysDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(keysDir, 'station-key.private.asc'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(keysDir, 'station-key.revocation.asc'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(keysDir, 'station-key.private.asc'), 'utf8')).toContain('-----BEGIN PGP PRIVATE KEY BLOCK-----');
    // No stray temp files from the durable writes.
    expect((await readdir(keysDir)).filter((name) => name.endsWith('.partial'))).toEqual([]);

    const listed = await list(stationAt(home, passFile));
    expect(listed.stationKey).toBe(true);
    expect(listed.trusted).toHaveLength(1);
    expect(listed.trusted[0]).toMatchObject({ fingerprint: key.fingerprint, label: 'this station', userIds: ['Gate 7 <gate7@example.org>'] });
    expect(listed.trusted[0]?.publicKey).toBeUndefined();
  });

  it('refuses to replace an existing station key (STATION_KEY_EXISTS), leaving it unchanged', async () => {
    const station = await createStation(await makeTemp('airlock-keys-twice-'));
    const privateKey = join(station.home, 'keys', 'station-key.private.asc');
    const before = await readFile(privateKey, 'utf8');
    const again = await station.run(['keys', 'generate', '--name', 'Another', '--passphrase-file', station.passFile, '--json']);
    expect(again.code, describeResult(again)).toBe(3);
    expect(parseJson<ErrorJson>(again).error.code).toBe('STATION_KEY_EXISTS');
    expect(await readFile(privateKey, 'utf8')).toBe(before);
    expect((await list(station)).trusted.map((s) => s.fingerprint)).toEqual([station.fingerprint]);
  });
});

describe('keys trust / list / untrust', () => {
  it('trusts a GnuPG public key and prints its fingerprint', async () => {
    const station = await bareStation();
    const result = await station.run(['keys', 'trust', alicePub, '--fingerprint', aliceFpr, '--label', 'Alice at HQ']);
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toContain(groupFingerprint(aliceFpr));
    expect(result.stdout).toContain('Alice Sender <alice@example.org>');
    expect(result.stdout).toContain('[Alice at HQ]');
    const listed = await list(station);
    expect(listed.stationKey).toBe(false);
    expect(listed.trusted).toEqual([expect.objectContaining({ fingerprint: aliceFpr, label: 'Alice at HQ', userIds: ['Alice Sender <alice@example.org>'] })]);
  });

  it('trusts with a matching --fingerprint typed in groups, and says so in --json', async () => {
    const station = await bareStation();
    const result = await station.run(['keys', 'trust', alicePub, '--fingerprint', groupFingerprint(aliceFpr).toLowerCase(), '--json']);
    expect(result.code, describeResult(result)).toBe(0);
    const json = parseJson<{ ok: true; alreadyTrusted: boolean; signer: { fingerprint: string; publicKey?: string } }>(result);
    expect(json.alreadyTrusted).toBe(false);
    expect(json.signer.fingerprint).toBe(aliceFpr);
    expect(json.signer.publicKey).toBeUndefined();
    const again = await station.run(['keys', 'trust', alicePub, '--fingerprint', aliceFpr, '--json']);
    expect(parseJson<{ alreadyTrusted: boolean }>(again).alreadyTrusted).toBe(true);
    expect((await list(station)).trusted).toHaveLength(1);
  });

  it('refuses to trust without a confirmed fingerprint when no terminal can confirm it (USAGE), trusting nothing', async () => {
    const station = await bareStation();
    const result = await station.run(['keys', 'trust', alicePub, '--json']);
    expect(result.code, describeResult(result)).toBe(2);
    expect(parseJson<ErrorJson>(result).error.code).toBe('USAGE');
    expect(result.stderr).toContain('--fingerprint');
    expect((await list(station)).trusted).toEqual([]);
  });

  it('refuses a key whose fingerprint differs from --fingerprint (FINGERPRINT_MISMATCH), trusting nothing', async () => {
    const station = await bareStation();
    const wrong = `${aliceFpr.slice(0, -1)}${aliceFpr.endsWith('0') ? '1' : '0'}`;
    const result = await station.run(['keys', 'trust', alicePub, '--fingerprint', wrong, '--json']);
    expect(result.code, describeResult(result)).toBe(3);
    const json = parseJson<ErrorJson>(result);
    expect(json.error.code).toBe('FINGERPRINT_MISMATCH');
    expect(json.error.message).toContain(aliceFpr);
    expect(result.stderr).toContain('FINGERPRINT_MISMATCH');
    expect((await list(station)).trusted).toEqual([]);
  });

  it('refuses a --fingerprint that is not a fingerprint as a usage error', async () => {
    const station = await bareStation();
    const result = await station.run(['keys', 'trust', alicePub, '--fingerprint', 'DEADBEEF', '--json']);
    expect(result.code, describeResult(result)).toBe(2);
    expect(parseJson<ErrorJson>(result).error.code).toBe('USAGE');
    expect((await list(station)).trusted).toEqual([]);
  });

  it('refuses to trust a private key file (KEY_INVALID): a GnuPG secret key and Airlock’s own', async () => {
    const station = await bareStation();
    const secret = join(keyFiles, 'alice-secret.asc');
    await writeFile(secret, gnupg.exportSecret(aliceFpr));
    expect(await readFile(secret, 'utf8')).toContain('PRIVATE KEY BLOCK');
    const result = await station.run(['keys', 'trust', secret, '--json']);
    expect(result.code, describeResult(result)).toBe(3);
    expect(parseJson<ErrorJson>(result).error.code).toBe('KEY_INVALID');

    const other = await createStation(await makeTemp('airlock-keys-priv-'));
    const own = await station.run(['keys', 'trust', join(other.home, 'keys', 'station-key.private.asc'), '--json']);
    expect(own.code, describeResult(own)).toBe(3);
    expect(parseJson<ErrorJson>(own).error.code).toBe('KEY_INVALID');
    expect((await list(station)).trusted).toEqual([]);
  });

  it('refuses a file that is not a key (KEY_INVALID) and a missing file (NOT_FOUND)', async () => {
    const station = await bareStation();
    const junk = join(keyFiles, 'junk.asc');
    await writeFile(junk, 'this is not an OpenPGP key\n');
    const notKey = await station.run(['keys', 'trust', junk, '--json']);
    expect(notKey.code).toBe(3);
    expect(parseJson<ErrorJson>(notKey).error.code).toBe('KEY_INVALID');
    const missing = await station.run(['keys', 'trust', join(keyFiles, 'nope.asc'), '--json']);
    expect(missing.code).toBe(3);
    expect(parseJson<ErrorJson>(missing).error.code).toBe('NOT_FOUND');
    expect((await list(station)).trusted).toEqual([]);
  });

  it('lists the station key and trusted signers in --json, and untrusts by fingerprint', async () => {
    const station = await createStation(await makeTemp('airlock-keys-list-'));
    expect((await station.run(['keys', 'trust', alicePub, '--fingerprint', aliceFpr, '--label', 'alice'])).code).toBe(0);
    const listed = await list(station);
    expect(listed.ok).toBe(true);
    expect(listed.stationKey).toBe(true);
    expect(listed.trusted.map((s) => [s.fingerprint, s.label])).toEqual([
      [station.fingerprint, 'this station'],
      [aliceFpr, 'alice'],
    ]);
    for (const signer of listed.trusted) {
      expect(signer.algorithm).toMatch(/ed25519/iu);
      expect(Number.isNaN(Date.parse(signer.addedAt))).toBe(false);
    }

    const removed = await station.run(['keys', 'untrust', aliceFpr.toLowerCase(), '--json']);
    expect(removed.code, describeResult(removed)).toBe(0);
    expect(parseJson<{ fingerprint: string }>(removed).fingerprint).toBe(aliceFpr);
    expect((await list(station)).trusted.map((s) => s.fingerprint)).toEqual([station.fingerprint]);

    const again = await station.run(['keys', 'untrust', aliceFpr, '--json']);
    expect(again.code, describeResult(again)).toBe(3);
    expect(parseJson<ErrorJson>(again).error.code).toBe('KEY_NOT_FOUND');
  });

  it('lists in plain text with grouped fingerprints', async () => {
    const station = await createStation(await makeTemp('airlock-keys-plain-'));
    const result = await station.run(['keys', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(groupFingerprint(station.fingerprint));
    expect(result.stdout).toContain('[this station]');
  });
});

describe('keys export-public', () => {
  it('exports the station key, which GnuPG imports with the same fingerprint', async () => {
    const station = await createStation(await makeTemp('airlock-keys-exp-'), 'Export Station');
    const result = await station.run(['keys', 'export-public']);
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/u);
    expect(result.stdout).not.toContain('PRIVATE');
    const file = join(await makeTemp('airlock-keys-exp-'), 'station.asc');
    await writeFile(file, result.stdout);
    const receiver = await GnupgHome.create();
    try {
      receiver.importKeyFile(file);
      expect(receiver.publicFingerprints()).toEqual([station.fingerprint]);
      const listing = receiver.mustGpg(['--with-colons', '--list-keys', station.fingerprint]).stdout;
      expect(listing).toContain('Export Station <station@example.org>');
      // ed25519 (EdDSA, algorithm 22) primary key that can sign
      expect(listing).toMatch(/^pub:[^:]*:255:22:[^\n]*:[^\n]*s/mu);
    } finally {
      await receiver.close();
    }
  });

  it('exports a trusted signer’s key by fingerprint, and refuses an unknown one (KEY_NOT_FOUND)', async () => {
    const station = await bareStation();
    expect((await station.run(['keys', 'trust', alicePub, '--fingerprint', aliceFpr])).code).toBe(0);
    const result = await station.run(['keys', 'export-public', aliceFpr]);
    expect(result.code, describeResult(result)).toBe(0);
    const file = join(await makeTemp('airlock-keys-exp-'), 'alice-again.asc');
    await writeFile(file, result.stdout);
    const receiver = await GnupgHome.create();
    try {
      receiver.importKeyFile(file);
      expect(receiver.publicFingerprints()).toEqual([aliceFpr]);
    } finally {
      await receiver.close();
    }
    const unknown = await station.run(['keys', 'export-public', 'A'.repeat(40)]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('KEY_NOT_FOUND');
  });

  it('without a station key, export-public says NO_STATION_KEY (exit 3)', async () => {
    const station = await bareStation();
    const result = await station.run(['keys', 'export-public']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('NO_STATION_KEY');
    expect(result.stdout).toBe('');
  });
});

/**
 * Hazard: a trusted key that expired after it was trusted, or whose signing subkeys all expired or
 * were revoked by its owner, looks fine in `keys list` and the app's list, while verify refuses
 * every bundle it signs (SIGNER_EXPIRED, SIGNER_REVOKED), found one bundle at a time. The list
 * must flag it with the code verify gives and the owner's next step. Keys made by GnuPG with its
 * clock set back (--faked-system-time), signed then, judged now; put in the trust store as a
 * station trusted them when they were valid. Honest controls: a key expiring in two years, a key
 * never expiring, a key whose old signing subkey expired beside a valid newer one: no flag.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readKey, readPrivateKey, type SecretKeyPacket } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDetachedSignature } from '../../electron/core/crypto/detached-signature.js';
import { Station } from '../../electron/core/index.js';
import { mayBeUnusableAt } from '../../electron/core/keys/key-expiry-scan.js';
import { parseJson, runAirlock } from '../helpers/cli-runner.js';
import { GnupgHome } from '../helpers/gnupg.js';

interface Listed {
  fingerprint: string;
  refusal?: { code: string; detail: string; next: string };
}
interface Made {
  fpr: string;
  publicKey: string;
  /** A detached signature over DATA made while the key was valid. */
  signature: string;
}

const DAY = 86_400;
const DATA = Buffer.from('tagmanifest bytes\n');
/** Ten days ago: the keys are made and sign then. */
const then = Math.floor(Date.now() / 1000) - 10 * DAY;

let root: string;
let home: string;
let gpg: GnupgHome;
const keys: Record<string, Made> = {};

/** `gpg ARGS` with its clock at `then` (frozen). */
function gpgThen(args: string[]): string {
  return gpg.mustGpg(['--faked-system-time', `${then}!`, '--pinentry-mode', 'loopback', '--passphrase', '', ...args]).stdout;
}

function lastFingerprint(): string {
  const fpr = gpg.secretFingerprints().at(-1);
  if (!fpr) throw new Error('gpg made no key');
  return fpr;
}

/** Signing subkeys' fingerprints, in order (`fpr:` lines after `sub:` lines with capability s). */
function signingSubkeys(fpr: string): string[] {
  const lines = gpg.mustGpg(['--with-colons', '--with-subkey-fingerprints', '--list-keys', fpr]).stdout.split('\n');
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const fields = line.split(':');
    if (fields[0] === 'sub' && (fields[11] ?? '').includes('s')) out.push(lines[i + 1]?.split(':')[9] ?? '');
  }
  return out;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-expired-list-'));
  home = join(root, 'home');
  gpg = await GnupgHome.create();
  const sign = async (fpr: string, signer: string): Promise<string> => {
    const file = join(root, `${fpr}.data`);
    const out = join(root, `${fpr}.sig.asc`);
    await writeFile(file, DATA);
    gpgThen(['--armor', '--detach-sign', '--local-user', `${signer}!`, '--output', out, file]);
    return readFile(out, 'utf8');
  };
  // The primary key signs and expired a day after it was made.
  gpgThen(['--quick-gen-key', 'Expired <expired@example.org>', 'ed25519', 'sign', '1d']);
  const expired = lastFingerprint();
  keys.expired = { fpr: expired, publicKey: gpg.exportPublic(expired), signature: await sign(expired, expired) };
  // A certify-only primary; its one signing subkey expired a day after it was made.
  gpgThen(['--quick-gen-key', 'Subkey expired <subexp@example.org>', 'ed25519', 'cert', 'never']);
  const subExpired = lastFingerprint();
  gpgThen(['--quick-add-key', subExpired, 'ed25519', 'sign', '1d']);
  keys.subExpired = { fpr: subExpired, publicKey: gpg.exportPublic(subExpired), signature: await sign(subExpired, signingSubkeys(subExpired)[0] ?? '') };
  // A certify-only primary; its one signing subkey revoked by the owner (openpgp.js makes the revocation).
  gpgThen(['--quick-gen-key', 'Subkey revoked <subrev@example.org>', 'ed25519', 'cert', 'never']);
  const subRevoked = lastFingerprint();
  gpgThen(['--quick-add-key', subRevoked, 'ed25519', 'sign', 'never']);
  const signature = await sign(subRevoked, signingSubkeys(subRevoked)[0] ?? '');
  const secret = await readPrivateKey({ armoredKey: gpg.exportSecret(subRevoked) });
  const [subkey] = secret.subkeys;
  if (!subkey) throw new Error('no subkey');
  secret.subkeys[0] = await subkey.revoke(secret.keyPacket as SecretKeyPacket, { flag: 1, string: 'superseded' }, new Date((then + DAY) * 1000));
  keys.subRevoked = { fpr: subRevoked, publicKey: secret.toPublic().armor(), signature };
  // Honest: expires in two years; never expires; an expired signing subkey beside a newer valid one.
  gpgThen(['--quick-gen-key', 'Two years <twoyears@example.org>', 'ed25519', 'sign', '2y']);
  const twoYears = lastFingerprint();
  keys.twoYears = { fpr: twoYears, publicKey: gpg.exportPublic(twoYears), signature: await sign(twoYears, twoYears) };
  gpgThen(['--quick-gen-key', 'Never <never@example.org>', 'ed25519', 'sign', 'never']);
  const never = lastFingerprint();
  keys.never = { fpr: never, publicKey: gpg.exportPublic(never), signature: await sign(never, never) };
  gpgThen(['--quick-gen-key', 'Renewed <renewed@example.org>', 'ed25519', 'cert', 'never']);
  const renewed = lastFingerprint();
  gpgThen(['--quick-add-key', renewed, 'ed25519', 'sign', '1d']);
  gpg.mustGpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--quick-add-key', renewed, 'ed25519', 'sign', '2y']);
  keys.renewed = { fpr: renewed, publicKey: gpg.exportPublic(renewed), signature: await sign(renewed, signingSubkeys(renewed)[0] ?? '') };
  // A warning, not a refusal: a revoked signing subkey beside a valid one (openpgp.js revokes the first).
  gpgThen(['--quick-gen-key', 'Part revoked <partrev@example.org>', 'ed25519', 'cert', 'never']);
  const partRevoked = lastFingerprint();
  gpgThen(['--quick-add-key', partRevoked, 'ed25519', 'sign', 'never']);
  const partSignature = await sign(partRevoked, signingSubkeys(partRevoked)[0] ?? '');
  gpgThen(['--quick-add-key', partRevoked, 'ed25519', 'sign', 'never']);
  const partSecret = await readPrivateKey({ armoredKey: gpg.exportSecret(partRevoked) });
  const oldSubkey = partSecret.subkeys[0];
  if (!oldSubkey) throw new Error('no subkey');
  partSecret.subkeys[0] = await oldSubkey.revoke(partSecret.keyPacket as SecretKeyPacket, { flag: 1, string: 'superseded' }, new Date((then + DAY) * 1000));
  keys.partRevoked = { fpr: partRevoked, publicKey: partSecret.toPublic().armor(), signature: partSignature };

  // The store as a station wrote it when it trusted them (keys trust refuses an expired key now).
  const station = await Station.open({ home });
  try {
    const file = join(root, 'never.asc');
    await writeFile(file, keys.never.publicKey);
    await station.trustKeyFile(file, { expectedFingerprint: never });
  } finally {
    station.close();
  }
  const storeFile = join(home, 'keys', 'trusted-signers.json');
  const store = JSON.parse(await readFile(storeFile, 'utf8')) as { version: 1; signers: Array<Record<string, unknown>> };
  const first = store.signers[0] ?? {};
  for (const [name, made] of Object.entries(keys)) {
    if (name === 'never') continue;
    store.signers.push({ ...first, fingerprint: made.fpr, userIds: [name], label: null, publicKey: made.publicKey });
  }
  await writeFile(storeFile, JSON.stringify(store));
});
afterAll(async () => {
  await gpg?.close();
  await rm(root, { recursive: true, force: true });
});

/** What verify says now of each key's signature made while it was valid. */
async function verifyCode(made: Made): Promise<string[]> {
  const key = await readKey({ armoredKey: made.publicKey });
  const check = await verifyDetachedSignature(DATA, made.signature, [{ fingerprint: made.fpr, label: null, userIds: [], key }]);
  return check.problems.map((p) => p.code);
}

describe('keys list flags a trusted key that expired or lost its signing keys since it was trusted', () => {
  it('--json: the code verify gives for its signatures, and the owner’s next step; none on the honest keys', async () => {
    const result = await runAirlock(['--home', home, 'keys', 'list', '--json']);
    expect(result.code).toBe(0);
    const listed = parseJson<{ trusted: Listed[] }>(result).trusted;
    const refusalOf = (name: string) => listed.find((s) => s.fingerprint === keys[name]?.fpr)?.refusal;
    expect(listed).toHaveLength(7);
    for (const [name, code] of [
      ['expired', 'SIGNER_EXPIRED'],
      ['subExpired', 'SIGNER_EXPIRED'],
      ['subRevoked', 'SIGNER_REVOKED'],
    ] as const) {
      expect(refusalOf(name)?.code, name).toBe(code);
      // The same code verify gives for a signature the key made while it was valid.
      expect(await verifyCode(keys[name] as Made), name).toEqual([code]);
    }
    expect(refusalOf('expired')?.detail).toMatch(new RegExp(`^${keys.expired?.fpr} expired on \\d{4}-\\d\\d-\\d\\dT.*after it was trusted`, 'u'));
    expect(refusalOf('expired')?.next).toContain(`gpg --quick-set-expire ${keys.expired?.fpr} 2y)`);
    expect(refusalOf('subExpired')?.detail).toMatch(/^Every signing subkey of .* has expired since it was trusted/u);
    expect(refusalOf('subExpired')?.next).toContain(`gpg --quick-set-expire ${keys.subExpired?.fpr} 2y '*'`);
    expect(refusalOf('subRevoked')?.next).toContain(`gpg --quick-add-key ${keys.subRevoked?.fpr} ed25519 sign 2y`);
    for (const honest of ['twoYears', 'never', 'renewed', 'partRevoked']) expect(refusalOf(honest), honest).toBeUndefined();
    expect(await verifyCode(keys.twoYears as Made)).toEqual([]);
  });

  it('human: the marker and the next step under each such key', async () => {
    const result = await runAirlock(['--home', home, 'keys', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.includes('REFUSED AT VERIFY'))).toHaveLength(3);
    expect(result.stdout).toContain(`REFUSED AT VERIFY (SIGNER_EXPIRED): ${keys.expired?.fpr} expired on`);
    expect(result.stdout).toContain(`REFUSED AT VERIFY (SIGNER_REVOKED): Every signing key of ${keys.subRevoked?.fpr}`);
  });
});

describe('keys list warns of a trusted key with one bad signing subkey beside a good one', () => {
  it('--json and human: a warning with the code verify gives for what that subkey signed; none on the clean keys', async () => {
    const result = await runAirlock(['--home', home, 'keys', 'list', '--json']);
    const listed = parseJson<{ trusted: Array<Listed & { warning?: { code: string; detail: string } }> }>(result).trusted;
    const warningOf = (name: string) => listed.find((s) => s.fingerprint === keys[name]?.fpr)?.warning;
    for (const [name, code] of [
      ['renewed', 'SIGNER_EXPIRED'],
      ['partRevoked', 'SIGNER_REVOKED'],
    ] as const) {
      expect(warningOf(name)?.code, name).toBe(code);
      expect(warningOf(name)?.detail, name).toMatch(new RegExp(`^${keys[name]?.fpr} has a valid signing key, but its signing subkey [0-9A-F]{16} `, 'u'));
      // What the bad subkey signed while it was good is refused now with that code.
      expect(await verifyCode(keys[name] as Made), name).toEqual([code]);
    }
    for (const clean of ['twoYears', 'never']) expect(warningOf(clean), clean).toBeUndefined();
    const human = await runAirlock(['--home', home, 'keys', 'list']);
    expect(human.stdout.split('\n').filter((line) => line.includes('WARNING ('))).toHaveLength(2);
    expect(human.stdout).toContain(`WARNING (SIGNER_REVOKED): ${keys.partRevoked?.fpr} has a valid signing key`);
  });
});

describe('the packet scan that keeps openpgp.js out of keys list', () => {
  it('says "maybe" for each key that is expired or revoked now, and "no" for keys that cannot be', () => {
    const now = new Date();
    for (const name of ['expired', 'subExpired', 'subRevoked']) expect(mayBeUnusableAt(keys[name]?.publicKey ?? '', now), name).toBe(true);
    for (const name of ['twoYears', 'never']) expect(mayBeUnusableAt(keys[name]?.publicKey ?? '', now), name).toBe(false);
    // Before the expiry, the same keys cannot be expired yet.
    expect(mayBeUnusableAt(keys.expired?.publicKey ?? '', new Date((then + DAY / 2) * 1000))).toBe(false);
    // Unreadable input is "maybe": the full check decides.
    expect(mayBeUnusableAt('not a key', now)).toBe(true);
  });
});

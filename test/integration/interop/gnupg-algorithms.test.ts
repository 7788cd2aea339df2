/**
 * GnuPG interop both ways for each key algorithm a site may require: bundles signed through
 * gpg (`--signer gpg:FPR`, as a smartcard key would be) verify in Airlock, and bundles signed
 * by Airlock's own keys verify in gpg.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { createStation, stationAt, TEST_PASSPHRASE } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';

const tempDir = useTempDirs();
let gnupg: GnupgHome;
let payload: string;

beforeAll(async () => {
  gnupg = await GnupgHome.create();
  payload = join(await tempDir('payload-'), 'report');
  await mkdir(payload);
  await writeFile(join(payload, 'findings.txt'), 'interop\n');
  await writeFile(join(payload, 'blob.bin'), Buffer.alloc(70_000, 5));
});
afterAll(async () => {
  await gnupg.close();
});

const GPG_ALGORITHMS = [
  ['ed25519', 'ed25519'],
  ['RSA-4096', 'rsa4096'],
  ['NIST P-384', 'nistp384'],
] as const;

describe('bundles signed through GnuPG verify in Airlock', () => {
  it.each(GPG_ALGORITHMS)(
    '%s key held by gpg, with a passphrase through loopback pinentry',
    async (label, algo) => {
      const passFile = join(await tempDir('gpgpass-'), 'pass');
      await writeFile(passFile, 'gpg key passphrase\n', { mode: 0o600 });
      gnupg.mustGpg([
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        'gpg key passphrase',
        '--quick-gen-key',
        `${label} Signer <${algo}@example.org>`,
        algo,
        'sign',
        'never',
      ]);
      const fpr = gnupg.secretFingerprints().at(-1) ?? '';
      // The sending station signs only through gpg: no Airlock station key is needed for that.
      const sender = stationAt(join(await tempDir('sender-'), 'home'), passFile);
      const out = await tempDir('out-');
      const exported = await sender.run(
        ['export', '--out', out, '--name', `gpg-${algo}`, '--signer', `gpg:${fpr}`, '--passphrase-file', passFile, '--json', payload],
        { env: { GNUPGHOME: gnupg.dir } },
      );
      expect(exported.code, describeResult(exported)).toBe(0);
      expect(parseJson<{ bundle: { signers: Array<{ fingerprint: string }> } }>(exported).bundle.signers.map((s) => s.fingerprint)).toEqual([fpr]);

      const receiver = await createStation(await tempDir('receiver-'));
      // Before trust: refused, naming the key and the mail address gpg wrote as Signer's User ID (--sender).
      const untrusted = await receiver.verify(join(out, `gpg-${algo}.airlock.tar`));
      expect(untrusted.code, describeResult(untrusted.result)).toBe(1);
      expect(untrusted.report.problems.map((p) => p.code)).toEqual(['SIGNER_UNTRUSTED']);
      expect(untrusted.report.problems[0]?.message).toContain(`(claims to be "${algo}@example.org")`);
      const pub = await gnupg.writePublic(fpr, join(await tempDir('pub-'), 'signer.asc'));
      expect((await receiver.run(['keys', 'trust', pub, '--fingerprint', fpr])).code).toBe(0);
      const verified = await receiver.verify(join(out, `gpg-${algo}.airlock.tar`));
      expect(verified.code, describeResult(verified.result)).toBe(0);
      expect(verified.report.signers.map((s) => s.fingerprint)).toEqual([fpr]);
    },
    120_000,
  );

  it("an export signed through gpg leaves the station's audit log verifiable (the gpg key signs no checkpoint)", async () => {
    gnupg.mustGpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'Card Key <card@example.org>', 'ed25519', 'sign', 'never']);
    const fpr = gnupg.secretFingerprints().at(-1) ?? '';
    const station = await createStation(await tempDir('station-'));
    const out = await tempDir('out-');
    const exported = await station.run(['export', '--out', out, '--signer', `gpg:${fpr}`, '--json', payload], { env: { GNUPGHOME: gnupg.dir } });
    expect(exported.code, describeResult(exported)).toBe(0);
    const audit = await station.run(['audit', 'verify', '--json']);
    expect(audit.code, describeResult(audit)).toBe(0);
    expect(parseJson<{ ok: boolean; checkpoints: number }>(audit)).toMatchObject({ ok: true, checkpoints: 0 });
  }, 60_000);

  it('a wrong gpg passphrase fails the export cleanly (PASSPHRASE_WRONG), leaving no bundle', async () => {
    gnupg.mustGpg(['--pinentry-mode', 'loopback', '--passphrase', 'right', '--quick-gen-key', 'Locked <locked@example.org>', 'ed25519', 'sign', 'never']);
    const fpr = gnupg.secretFingerprints().at(-1) ?? '';
    const passFile = join(await tempDir('wrong-'), 'pass');
    await writeFile(passFile, 'wrong\n');
    const sender = stationAt(join(await tempDir('sender-'), 'home'), passFile);
    const out = await tempDir('out-');
    const result = await sender.run(['export', '--out', out, '--signer', `gpg:${fpr}`, '--passphrase-file', passFile, '--json', payload], {
      env: { GNUPGHOME: gnupg.dir },
    });
    expect(result.code, describeResult(result)).toBe(3);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe('PASSPHRASE_WRONG');
    expect(mustRun('ls', ['-A', out]).stdout).toBe('');
  }, 60_000);
});

describe('bundles signed by Airlock keys verify in gpg', () => {
  it.each([['ed25519'], ['rsa4096'], ['p384']])(
    '%s station key',
    async (algorithm) => {
      const root = await tempDir('station-');
      const passFile = join(root, 'pass');
      await writeFile(passFile, `${TEST_PASSPHRASE}\n`);
      const station = stationAt(join(root, 'home'), passFile);
      const generated = await station.run([
        'keys',
        'generate',
        '--name',
        `Airlock ${algorithm}`,
        '--algorithm',
        algorithm,
        '--passphrase-file',
        passFile,
        '--json',
      ]);
      expect(generated.code, describeResult(generated)).toBe(0);
      const fpr = parseJson<{ key: { fingerprint: string } }>(generated).key.fingerprint;
      const out = await tempDir('out-');
      await station.exportBundle(out, `own-${algorithm}`, [payload]);
      const { report } = await station.verify(join(out, `own-${algorithm}.airlock.tar`));
      expect(report.signers.map((s) => s.fingerprint)).toEqual([fpr]);

      const pub = join(root, 'station.asc');
      await writeFile(pub, (await station.run(['keys', 'export-public'])).stdout);
      gnupg.importKeyFile(pub);
      const extracted = await tempDir('x-');
      mustRun('tar', ['xf', join(out, `own-${algorithm}.airlock.tar`), '-C', extracted]);
      const bag = join(extracted, `own-${algorithm}`);
      const check = gnupg.verify(join(bag, 'tagmanifest-sha256.txt.asc'), join(bag, 'tagmanifest-sha256.txt'));
      expect(check.status, check.stderr).toBe(0);
      expect(check.stdout).toMatch(new RegExp(`VALIDSIG ${fpr}`, 'u'));
    },
    120_000,
  );
});

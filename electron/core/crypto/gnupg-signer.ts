import { execFile, spawn, type ExecFileOptionsWithStringEncoding } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PublicKey } from 'openpgp';
import { openpgp, openpgpFullConfig } from './openpgp-lazy.js';
import { normalizeFingerprint } from '../../../shared/fingerprint.js';
import { AirlockError } from '../errors.js';
import type { BundleSigner } from './bundle-signer.js';
import { verifyDetachedSignature } from './detached-signature.js';
import { OPENPGP_CONFIG } from './openpgp-config.js';

// promisify() per call, not when the module loads: reading execFile then would load child_process for every command that evaluates this module (scripts/cli-bundle.mjs, LAZY_BUILTINS).
const run = (
  file: string,
  args: readonly string[],
  options: Omit<ExecFileOptionsWithStringEncoding, 'encoding'> = {},
): Promise<{ stdout: string; stderr: string }> => promisify(execFile)(file, args, { ...options, encoding: 'utf8' });

export interface GnupgOptions {
  /** GNUPGHOME; default: GnuPG's own. */
  homedir?: string | undefined;
  /**
   * For keys whose passphrase is typed into Airlock (passed with pinentry loopback). Omit it for
   * smartcards and agent-managed keys: GnuPG's pinentry asks on its own.
   */
  passphrase?: string | undefined;
  gpgPath?: string;
}

function baseArgs(options: GnupgOptions): string[] {
  return ['--batch', '--no-tty', ...(options.homedir ? ['--homedir', options.homedir] : [])];
}

/**
 * A signer backed by the system's gpg, so the station key can live on a smartcard. Each
 * signature it returns is checked with the key's public part before use: a misconfigured
 * agent or card can never put a bad signature into a bundle.
 */
export async function gnupgSigner(fingerprintInput: string, options: GnupgOptions = {}): Promise<BundleSigner> {
  const gpg = options.gpgPath ?? 'gpg';
  const fingerprint = normalizeFingerprint(fingerprintInput);
  let exported: string;
  try {
    ({ stdout: exported } = await run(gpg, [...baseArgs(options), '--armor', '--export', `${fingerprint}!`], { maxBuffer: 4 << 20 }));
  } catch (error) {
    throw new AirlockError('KEY_NOT_FOUND', `GnuPG cannot export ${fingerprint}: ${(error as Error).message}`);
  }
  if (!exported.includes('BEGIN PGP PUBLIC KEY BLOCK')) throw new AirlockError('KEY_NOT_FOUND', `GnuPG has no key ${fingerprint}.`);
  const publicKey = await (await openpgp()).readKey({ armoredKey: exported, config: OPENPGP_CONFIG });
  const primary = publicKey.getFingerprint().toUpperCase();
  const trusted = [{ fingerprint: primary, label: null, userIds: publicKey.getUserIDs(), key: publicKey }];
  // gpg writes the Signer's User ID subpacket only with --sender, and then only a mail address:
  // enough for a station that does not trust this key yet to say who the signature claims to be.
  const sender = await primaryEmail(publicKey);

  return {
    fingerprint: primary,
    userIds: publicKey.getUserIDs(),
    publicKeyArmored: exported,
    async sign(data) {
      const dir = await mkdtemp(join(tmpdir(), 'airlock-gpg-'));
      try {
        const input = join(dir, 'data');
        await writeFile(input, data, { mode: 0o600 });
        const args = [...baseArgs(options), '--armor', '--detach-sign', '--local-user', `${fingerprint}!`, '--output', '-'];
        if (options.passphrase !== undefined) args.push('--pinentry-mode', 'loopback', '--passphrase-fd', '0');
        if (sender !== null) args.push('--sender', sender);
        args.push(input);
        const armored = await spawnWithInput(gpg, args, options.passphrase !== undefined ? `${options.passphrase}\n` : '');
        const check = await verifyDetachedSignature(data, armored, trusted);
        if (check.problems.length > 0) {
          throw new AirlockError('IO_ERROR', `GnuPG produced a signature that does not verify: ${check.problems.map((p) => p.message).join(' ')}`);
        }
        return armored;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

function spawnWithInput(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (error) => reject(new AirlockError('IO_ERROR', `Cannot run gpg: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else {
        const message = Buffer.concat(err).toString('utf8').trim();
        reject(
          new AirlockError(/bad passphrase|no pinentry|Bad PIN/iu.test(message) ? 'PASSPHRASE_WRONG' : 'IO_ERROR', `gpg failed (exit ${code}): ${message}`),
        );
      }
    });
    child.stdin.end(input);
  });
}

/** The primary user ID's mail address (what gpg --sender takes), or null. */
async function primaryEmail(key: PublicKey): Promise<string | null> {
  try {
    const email = (await key.getPrimaryUser(undefined, undefined, await openpgpFullConfig())).user.userID?.email ?? '';
    return /^[^\s<>]+@[^\s<>]+$/u.test(email) ? email : null;
  } catch {
    return null;
  }
}

/**
 * A throwaway GnuPG home for interop tests: mode 0700, its own agent, killed and removed on close().
 * Keys are ed25519 without passphrase, made the way an operator would with `gpg --quick-gen-key`.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustRun, tool, type ToolOptions, type ToolResult } from './tools.js';

export class GnupgHome {
  private constructor(readonly dir: string) {}

  /** A new GNUPGHOME under the OS temp directory (short path: the agent's socket lives there). */
  static async create(): Promise<GnupgHome> {
    const dir = await mkdtemp(join(tmpdir(), 'gpg-'));
    await chmod(dir, 0o700);
    return new GnupgHome(dir);
  }

  /** `gpg --homedir DIR --batch ARGS`; the exit status is the caller's to check. */
  gpg(args: readonly string[], options: ToolOptions = {}): ToolResult {
    return tool('gpg', ['--homedir', this.dir, '--batch', '--no-tty', ...args], options);
  }

  /** Same, failing on a non-zero exit. */
  mustGpg(args: readonly string[], options: ToolOptions = {}): ToolResult {
    return mustRun('gpg', ['--homedir', this.dir, '--batch', '--no-tty', ...args], options);
  }

  /** An ed25519 signing key with no passphrase; returns its fingerprint (40 hex digits, upper case). */
  generateKey(userId = 'Interop Tester <tester@example.org>'): string {
    this.mustGpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', userId, 'ed25519', 'sign', 'never']);
    const fingerprints = this.secretFingerprints();
    const fpr = fingerprints.at(-1);
    if (!fpr) throw new Error('gpg made no key');
    return fpr;
  }

  /** Fingerprints of the primary keys in the public keyring, in listing order. */
  publicFingerprints(): string[] {
    return primaryFingerprints(this.mustGpg(['--with-colons', '--list-keys']).stdout, 'pub');
  }

  secretFingerprints(): string[] {
    return primaryFingerprints(this.mustGpg(['--with-colons', '--list-secret-keys']).stdout, 'sec');
  }

  exportPublic(fpr: string): string {
    return this.mustGpg(['--armor', '--export', fpr]).stdout;
  }

  exportSecret(fpr: string): string {
    return this.mustGpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--armor', '--export-secret-keys', fpr]).stdout;
  }

  async writePublic(fpr: string, file: string): Promise<string> {
    await writeFile(file, this.exportPublic(fpr));
    return file;
  }

  importKeyFile(file: string): ToolResult {
    return this.mustGpg(['--import', file]);
  }

  /** `gpg --armor --detach-sign` with the given key: writes OUT (an armored binary-document signature). */
  detachSign(fpr: string, file: string, out: string): void {
    this.mustGpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--local-user', fpr, '--armor', '--detach-sign', '--output', out, file]);
  }

  /** `gpg --verify SIG FILE` with machine-readable status lines on stdout. */
  verify(signature: string, file: string, options: ToolOptions = {}): ToolResult {
    return this.gpg(['--status-fd', '1', '--verify', signature, file], options);
  }

  /** Stop the agent (and any other daemon) this home started, then delete the home. */
  async close(): Promise<void> {
    tool('gpgconf', ['--homedir', this.dir, '--kill', 'all']);
    await rm(this.dir, { recursive: true, force: true });
  }
}

function primaryFingerprints(colons: string, primary: 'pub' | 'sec'): string[] {
  const out: string[] = [];
  let wantFpr = false;
  for (const line of colons.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === primary) wantFpr = true;
    else if (fields[0] === 'fpr' && wantFpr) {
      out.push((fields[9] ?? '').toUpperCase());
      wantFpr = false;
    } else if (fields[0] === 'sub' || fields[0] === 'ssb') wantFpr = false;
  }
  return out;
}

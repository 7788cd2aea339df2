import type { Command } from 'commander';
import { groupFingerprint, isFingerprint, normalizeFingerprint } from '../../../shared/fingerprint.js';
import { AirlockError } from '../../core/index.js';
import { displayText } from '../../../shared/display-text.js';
import { withInputFile, write } from '../io.js';
import { obtainPassphrase, promptLine } from '../passphrase.js';
import { elapsedLine } from '../progress-line.js';
import { KEY_ALGORITHMS, type KeyAlgorithm, type Station } from '../../core/index.js';
import type { CommandContext } from '../context.js';
import { stationCommand } from '../station-command.js';

export function registerKeys(program: Command, ctx: CommandContext): void {
  const keys = program.command('keys').description('the station signing key and the trusted signers');

  keys
    .command('generate')
    .description('create this station’s signing key (ed25519, encrypted with a passphrase)')
    .requiredOption('-n, --name <name>', 'name in the key’s user ID, e.g. "Transfer Station 3"')
    .option('--email <email>', 'email in the key’s user ID')
    .option('--passphrase-file <file>', 'read the passphrase from the first line of a file (else you are asked)')
    .option('--algorithm <algorithm>', `${KEY_ALGORITHMS.join(', ')} (default ed25519; RSA-4096 and NIST P-384 for sites that require them)`, 'ed25519')
    .action(async (opts: { name: string; email?: string; passphraseFile?: string; algorithm: string; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        if (await station.hasKey()) throw new AirlockError('STATION_KEY_EXISTS', station.paths.stationPrivateKey);
        const algorithm = keyAlgorithm(opts.algorithm);
        const passphrase = await obtainPassphrase(io, opts.passphraseFile, { confirm: true });
        // An RSA-4096 key takes seconds with nothing to report meanwhile: the time so far shows it is working.
        const working = elapsedLine(io, `Generating the station key (${algorithm})`);
        let key;
        try {
          key = await station.generateKey({ name: opts.name, passphrase, algorithm, email: opts.email || undefined, signal: io.signal });
        } finally {
          working.done();
        }
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, key }));
        else {
          write(io.stdout, displayText(`Created the station key ${key.userIds.join(', ')}`));
          write(io.stdout, displayText(`  fingerprint ${groupFingerprint(key.fingerprint)}`));
          write(io.stdout, displayText(`  stored in ${station.paths.stationPrivateKey} (encrypted, mode 0600)`));
          write(io.stdout, displayText(`Give receiving stations the public key: ${stationCommand(ctx.globals().home, 'keys export-public > station.asc')}`));
        }
        return 0;
      });
    });

  keys
    .command('trust')
    .description('trust a signer’s public key (armored .asc file), after confirming its fingerprint')
    .argument('<file>', 'the public key, e.g. from `airlock keys export-public` or `gpg --export --armor`; - reads it from stdin')
    .option('--fingerprint <fpr>', 'the fingerprint the key’s owner read to you out of band; required unless you confirm on a terminal')
    .option('--label <text>', 'a name for this signer, shown when their bundles verify')
    .option('--role <role>', 'the signer’s role for two-person rules, e.g. operator or reviewer')
    .action(async (given: string, opts: { label?: string; role?: string; fingerprint?: string; json?: boolean }) => {
      await ctx.run(async (station, io) =>
        withInputFile(io, given, 'the public key', async (file) => {
          if (given === '-' && opts.fingerprint === undefined)
            throw new AirlockError('USAGE', 'With the key on stdin, give --fingerprint (the prompt needs the terminal).');
          if (opts.fingerprint !== undefined && !isFingerprint(opts.fingerprint)) {
            throw new AirlockError('USAGE', `--fingerprint "${opts.fingerprint}" is not a 40- or 64-digit hex fingerprint.`);
          }
          const key = await station.inspectKeyFile(file);
          if (!opts.json) {
            write(io.stderr, displayText(`Key in ${given === '-' ? 'stdin' : given}:`));
            write(io.stderr, displayText(`  ${key.userIds.join(', ') || '(no user ID)'}   ${key.algorithm}${key.expires ? `, expires ${key.expires}` : ''}`));
            write(io.stderr, `  fingerprint ${groupFingerprint(key.fingerprint)}`);
          }
          let expected = opts.fingerprint;
          if (expected === undefined) {
            if (!io.stdin.isTTY)
              throw new AirlockError('USAGE', 'Confirm the key: pass --fingerprint with the fingerprint its owner read to you (not one copied from the file).');
            expected = await promptLine(io, 'Type the fingerprint as the key’s owner read it to you (spaces allowed), or press Enter to cancel: ');
            if (expected.trim() === '') throw new AirlockError('CANCELLED', 'Nothing was trusted.');
            // A short or mistyped answer is a typing mistake, as with --fingerprint: not an alarm about a swapped key.
            if (!isFingerprint(expected))
              throw new AirlockError(
                'USAGE',
                `"${expected.trim()}" is not a 40- or 64-digit hex fingerprint: type all of it, as the key's owner read it to you. Nothing was trusted.`,
              );
          }
          const { signer, alreadyTrusted, sha1Subkeys } = await station.trustKeyFile(file, {
            expectedFingerprint: normalizeFingerprint(expected),
            label: opts.label,
            role: opts.role,
          });
          if (opts.json) write(io.stdout, JSON.stringify({ ok: true, alreadyTrusted, sha1Subkeys, signer: { ...signer, publicKey: undefined } }));
          else {
            write(
              io.stdout,
              displayText(
                `${alreadyTrusted ? 'Already trusted' : 'Trusted'} ${signer.userIds.join(', ')}${signer.label ? ` [${signer.label}]` : ''}${signer.role ? ` (role ${signer.role})` : ''}`,
              ),
            );
            write(io.stdout, displayText(`  fingerprint ${groupFingerprint(signer.fingerprint)}`));
          }
          // Trusted by its good signing subkey; what an old SHA-1-bound one signs is refused at verify (key-binding-hash.ts).
          for (const subkey of sha1Subkeys) {
            write(
              io.stderr,
              `Warning: its signing subkey ${subkey} is bound with SHA-1: verify refuses what that subkey signs (SIGNER_SHA1_BINDING). The key's owner signs with the newer subkey, or removes this one (gpg --edit-key ${signer.fingerprint}, key ${subkey}, delkey) and sends the public key again.`,
            );
          }
          return 0;
        }),
      );
    });

  keys
    .command('revoke-import')
    .description('apply a revocation certificate (or a revoked public key) to a trusted key: it then signs nothing this station accepts')
    .argument('<file>', 'the revocation certificate, e.g. keys/station-key.revocation.asc or GnuPG’s openpgp-revocs.d/<FPR>.rev; - reads it from stdin')
    .action(async (file: string, opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const revoked = await withInputFile(io, file, 'the revocation certificate', (path) => station.importRevocation(path));
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, fingerprint: revoked.fingerprint }));
        else
          write(
            io.stdout,
            displayText(`REVOKED ${revoked.userIds.join(', ')} ${groupFingerprint(revoked.fingerprint)}: no signature by it is accepted any more.`),
          );
        return 0;
      });
    });

  keys
    .command('rotate')
    .description('make a new station key; the old one stays trusted for verifying earlier bundles until you untrust it')
    .requiredOption('-n, --name <name>', 'name in the new key’s user ID')
    .option('--email <email>', 'email in the new key’s user ID')
    .option('--passphrase-file <file>', 'passphrase of the current key (else you are asked)')
    .option('--new-passphrase-file <file>', 'passphrase for the new key (else you are asked)')
    .option('--algorithm <algorithm>', KEY_ALGORITHMS.join(', '), 'ed25519')
    .action(async (opts: { name: string; email?: string; passphraseFile?: string; newPassphraseFile?: string; algorithm: string; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const algorithm = keyAlgorithm(opts.algorithm);
        const passphrase = await obtainPassphrase(io, opts.passphraseFile, { check: (typed) => station.checkSigner({ kind: 'station', passphrase: typed }) });
        const newPassphrase = await obtainPassphrase(io, opts.newPassphraseFile, { confirm: true });
        const rotated = await station.rotateKey({ name: opts.name, passphrase, newPassphrase, algorithm, email: opts.email || undefined });
        if (opts.json) {
          write(io.stdout, JSON.stringify({ ok: true, ...rotated }));
          return 0;
        }
        write(
          io.stdout,
          `Retired ${groupFingerprint(rotated.retired)} (still trusted for verification; untrust it when no bundles signed by it remain in transit)`,
        );
        write(io.stdout, displayText(`New station key ${rotated.current.userIds.join(', ')}  ${groupFingerprint(rotated.current.fingerprint)}`));
        write(io.stdout, displayText(`Give receiving stations the new public key: ${stationCommand(ctx.globals().home, 'keys export-public')}`));
        return 0;
      });
    });

  keys
    .command('backup')
    .description('write the station key (still encrypted with its passphrase), public key and revocation certificate to one file')
    .requiredOption('-o, --out <file>', 'the backup file to create (never overwritten; - writes it to stdout); keep it offline')
    .option('--passphrase-file <file>', 'the station key passphrase, proved before the backup is written (else you are asked)')
    .action(async (opts: { out: string; passphraseFile?: string; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        if (opts.out === '-' && opts.json) throw new AirlockError('USAGE', '--out - writes the backup itself to stdout: it goes without --json.');
        const backup = await station.backupKey(
          await obtainPassphrase(io, opts.passphraseFile, { check: (passphrase) => station.checkSigner({ kind: 'station', passphrase }) }),
          opts.out === '-' ? null : opts.out,
        );
        if (opts.out === '-') {
          io.stdout.write(backup);
          write(io.stderr, 'Wrote the backup to stdout. Anyone with it and the passphrase can sign as this station: store it like the key itself.');
          return 0;
        }
        if (opts.json) {
          write(io.stdout, JSON.stringify({ ok: true, file: opts.out }));
          return 0;
        }
        write(io.stdout, `Wrote ${opts.out} (mode 0600). Anyone with this file and the passphrase can sign as this station: store it like the key itself.`);
        return 0;
      });
    });

  keys
    .command('restore')
    .description('install a station key from a backup into a home that has none')
    .argument('<file>', 'the file `airlock keys backup` wrote; - reads it from stdin')
    .option('--passphrase-file <file>', 'the key’s passphrase (else you are asked)')
    .action(async (given: string, opts: { passphraseFile?: string; json?: boolean }) => {
      await ctx.run(async (station, io) =>
        withInputFile(io, given, 'the backup', async (file) => {
          if (given === '-' && opts.passphraseFile === '-') throw new AirlockError('USAGE', 'stdin cannot carry both the backup and the passphrase.');
          // The backup's own passphrase: restoring is the check (it installs nothing until the key unlocks).
          let restored: Awaited<ReturnType<Station['restoreKey']>> | null = null;
          const passphrase = await obtainPassphrase(io, opts.passphraseFile, {
            check: async (typed) => {
              restored = await station.restoreKey(file, typed);
            },
          });
          const key = restored ?? (await station.restoreKey(file, passphrase));
          if (opts.json) {
            write(io.stdout, JSON.stringify({ ok: true, key }));
            return 0;
          }
          write(io.stdout, displayText(`Restored the station key ${key.userIds.join(', ')}  ${groupFingerprint(key.fingerprint)}`));
          return 0;
        }),
      );
    });

  keys
    .command('untrust')
    .description('stop trusting a signer')
    .argument('<fingerprint>', 'the signer’s fingerprint (spaces allowed)')
    .action(async (fingerprint: string, opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const removed = await station.untrustKey(fingerprint);
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, fingerprint: removed.fingerprint }));
        else write(io.stdout, displayText(`No longer trusted: ${removed.userIds.join(', ')} ${groupFingerprint(removed.fingerprint)}`));
        return 0;
      });
    });

  keys
    .command('list')
    .description('show the station key and the trusted signers')
    .action(async (opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const signers = await station.listTrusted();
        const hasKey = await station.hasKey();
        if (opts.json) {
          write(io.stdout, JSON.stringify({ ok: true, stationKey: hasKey, trusted: signers.map(({ publicKey: _pk, ...rest }) => rest) }));
          return 0;
        }
        if (!hasKey) write(io.stdout, 'No station key yet: airlock keys generate --name "..."');
        if (signers.length === 0) write(io.stdout, 'No trusted signers.');
        for (const s of signers) {
          write(io.stdout, `${groupFingerprint(s.fingerprint)}  ${s.userIds.join(', ')}${s.label ? `  [${s.label}]` : ''}`);
          const status = s.revokedAt ? `, REVOKED (revocation imported ${s.revokedAt})` : s.retiredAt ? `, retired station key (since ${s.retiredAt})` : '';
          write(io.stdout, displayText(`  ${s.algorithm}, trusted since ${s.addedAt}${s.role ? `, role ${s.role}` : ''}${status}`));
          // Trusted before `keys trust` refused such keys: verify refuses what it signs (trusted-key-refusal.ts).
          if (s.refusal) {
            write(io.stdout, displayText(`  REFUSED AT VERIFY (${s.refusal.code}): ${s.refusal.detail}`));
            write(io.stdout, displayText(`  Next: ${s.refusal.next}`));
          }
          // Accepted, but a signing subkey of it is not: what that subkey signs is refused (trusted-key-refusal.ts).
          if (s.warning) {
            write(io.stdout, displayText(`  WARNING (${s.warning.code}): ${s.warning.detail}`));
            write(io.stdout, displayText(`  Next: ${s.warning.next}`));
          }
        }
        return 0;
      });
    });

  keys
    .command('export-public')
    .description('print a public key (the station’s, or a trusted signer’s) as armored text')
    .argument('[fingerprint]', 'a trusted signer’s fingerprint; omit for this station’s key')
    .action(async (fingerprint: string | undefined) => {
      await ctx.run(async (station, io) => {
        io.stdout.write(await station.exportPublicKey(fingerprint));
        return 0;
      });
    });
}

function keyAlgorithm(value: string): KeyAlgorithm {
  if (!(KEY_ALGORITHMS as readonly string[]).includes(value)) throw new AirlockError('USAGE', `--algorithm must be one of ${KEY_ALGORITHMS.join(', ')}.`);
  return value as KeyAlgorithm;
}

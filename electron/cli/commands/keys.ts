import type { Command } from 'commander';
import { groupFingerprint, isFingerprint, normalizeFingerprint } from '../../../shared/fingerprint.js';
import { AirlockError } from '../../core/index.js';
import { displayText } from '../../../shared/display-text.js';
import { write } from '../io.js';
import { obtainPassphrase } from '../passphrase.js';
import type { CommandContext } from '../context.js';

export function registerKeys(program: Command, ctx: CommandContext): void {
  const keys = program.command('keys').description('the station signing key and the trusted signers');

  keys
    .command('generate')
    .description('create this station’s signing key (ed25519, encrypted with a passphrase)')
    .requiredOption('--name <name>', 'name in the key’s user ID, e.g. "Transfer Station 3"')
    .option('--email <email>', 'email in the key’s user ID')
    .option('--passphrase-file <file>', 'read the passphrase from the first line of a file (else you are asked)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { name: string; email?: string; passphraseFile?: string; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        if (await station.hasKey()) throw new AirlockError('STATION_KEY_EXISTS', station.paths.stationPrivateKey);
        const passphrase = await obtainPassphrase(io, opts.passphraseFile, { confirm: true });
        const key = await station.generateKey({ name: opts.name, passphrase, ...(opts.email ? { email: opts.email } : {}) });
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, key }));
        else {
          write(io.stdout, displayText(`Created the station key ${key.userIds.join(', ')}`));
          write(io.stdout, displayText(`  fingerprint ${groupFingerprint(key.fingerprint)}`));
          write(io.stdout, displayText(`  stored in ${station.paths.stationPrivateKey} (encrypted, mode 0600)`));
          write(io.stdout, 'Give receiving stations the public key: airlock keys export-public > station.asc');
        }
        return 0;
      });
    });

  keys
    .command('trust')
    .description('trust a signer’s public key (armored .asc file) by its fingerprint')
    .argument('<file>', 'the public key, e.g. from `airlock keys export-public` or `gpg --export --armor`')
    .option('--label <text>', 'a name for this signer, shown when their bundles verify')
    .option('--fingerprint <fpr>', 'refuse unless the key has exactly this fingerprint (compare it out of band)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { label?: string; fingerprint?: string; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        if (opts.fingerprint !== undefined && !isFingerprint(opts.fingerprint)) {
          throw new AirlockError('USAGE', `--fingerprint "${opts.fingerprint}" is not a 40- or 64-digit hex fingerprint.`);
        }
        const { signer, alreadyTrusted } = await station.trustKeyFile(file, opts.label, opts.fingerprint === undefined ? undefined : normalizeFingerprint(opts.fingerprint));
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, alreadyTrusted, signer: { ...signer, publicKey: undefined } }));
        else {
          write(io.stdout, `${alreadyTrusted ? 'Already trusted' : 'Trusted'} ${signer.userIds.join(', ')}${signer.label ? ` [${signer.label}]` : ''}`);
          write(io.stdout, displayText(`  fingerprint ${groupFingerprint(signer.fingerprint)}`));
        }
        return 0;
      });
    });

  keys
    .command('untrust')
    .description('stop trusting a signer')
    .argument('<fingerprint>', 'the signer’s fingerprint (spaces allowed)')
    .option('--json', 'print one JSON object')
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
    .option('--json', 'print one JSON object')
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
          write(io.stdout, `  ${s.algorithm}, trusted since ${s.addedAt}${s.role ? `, role ${s.role}` : ''}`);
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

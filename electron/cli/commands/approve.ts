import type { Command } from 'commander';
import { displayText } from '../../../shared/display-text.js';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { formatSize, plural } from '../../../shared/format.js';
import { AirlockError, parseGpgSignerOption, type SignerSpec, type StagedSummary } from '../../core/index.js';
import { imageLines } from '../image-lines.js';
import { write } from '../io.js';
import { obtainPassphrase, promptLine, readPassphraseFile } from '../passphrase.js';
import type { CommandContext } from '../context.js';
import { shellWord, stationCommand } from '../station-command.js';

/** Where a bundle's images live (docs/bundle-format.md §15). */
const IMAGE_LAYOUT_FOLDER = 'data/oci';

/**
 * The files and totals an approver signs (from the signed manifest), the images beside them (from
 * the signed descriptor file: repository, tag, digest, size, platforms), and who signed so far.
 */
export function renderStaged(staged: StagedSummary, maxFiles = Number.POSITIVE_INFINITY): string {
  const images = staged.images;
  // With images, data/oci/ is the image layout: its blobs are summed up by the image lines, not listed.
  const files = images ? staged.files.filter((f) => !f.path.startsWith(`${IMAGE_LAYOUT_FOLDER}/`)) : staged.files;
  const carried = images
    ? ` and ${plural(images.images.length, images.images.every((i) => i.kind === 'chart') ? 'chart' : 'image')} (${plural(staged.files.length - files.length, 'file')} in ${IMAGE_LAYOUT_FOLDER}/)`
    : '';
  const lines = [`Staged export ${staged.name}  (${staged.uuid})`, `  ${plural(files.length, 'file')}${carried}, ${formatSize(staged.totalBytes)}`];
  for (const file of files.slice(0, maxFiles)) lines.push(`    ${file.path}`);
  if (files.length > maxFiles) lines.push(`    ... and ${files.length - maxFiles} more`);
  if (images) lines.push(...imageLines(images, { everyPlatform: true }));
  for (const s of staged.signatures) {
    lines.push(
      `  signed by ${s.userIds.join(', ')}${s.trustedLabel ? ` [${s.trustedLabel}]` : ' (not a signer this station trusts)'}${s.role ? ` role ${s.role}` : ''}`,
    );
    lines.push(`            ${groupFingerprint(s.fingerprint)}`);
  }
  return `${lines.map(displayText).join('\n')}\n`;
}

export function registerApprove(program: Command, ctx: CommandContext): void {
  program
    .command('approve')
    .description('two-person rule: review a prepared export and add your signature')
    .argument('<staged>', 'the staged export folder `airlock export --prepare` printed')
    .option('--signer <spec>', 'sign with your GnuPG key: gpg:<fingerprint>')
    .option('--key <file>', 'sign with your own armored private key file')
    .option('--passphrase-file <file>', 'passphrase for your key (else you are asked)')
    .option('-y, --yes', 'approve without the interactive confirmation (scripts); you have reviewed the list')
    .action(async (stagedDir: string, opts: { signer?: string; key?: string; passphraseFile?: string; yes?: boolean; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        if (opts.signer !== undefined && opts.key !== undefined) throw new AirlockError('USAGE', 'Choose --signer or --key, not both.');
        const staged = await station.describeStaged(stagedDir);
        if (!opts.json) write(io.stderr, renderStaged(staged));
        if (!opts.yes) {
          if (!io.stdin.isTTY) throw new AirlockError('USAGE', 'Review the list above, then confirm: on a terminal you are asked; in scripts pass --yes.');
          const answer = await promptLine(io, `Type the bundle name (${staged.name}) to sign it: `);
          if (answer.trim() !== staged.name) throw new AirlockError('CANCELLED', 'Not approved.');
        }
        let spec: SignerSpec;
        if (opts.signer !== undefined) {
          spec = {
            kind: 'gpg',
            fingerprint: parseGpgSignerOption(opts.signer),
            homedir: io.env.GNUPGHOME || undefined,
            passphrase: opts.passphraseFile !== undefined ? await readPassphraseFile(opts.passphraseFile, io) : undefined,
          };
        } else if (opts.key !== undefined) {
          const file = opts.key;
          spec = {
            kind: 'key-file',
            file,
            passphrase: await obtainPassphrase(io, opts.passphraseFile, { check: (passphrase) => station.checkSigner({ kind: 'key-file', file, passphrase }) }),
          };
        } else {
          spec = {
            kind: 'station',
            passphrase: await obtainPassphrase(io, opts.passphraseFile, { check: (passphrase) => station.checkSigner({ kind: 'station', passphrase }) }),
          };
        }
        const approved = await station.approveStaged(stagedDir, spec);
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, staged: approved }));
        else {
          const mine = approved.signatures.at(-1);
          write(
            io.stdout,
            displayText(
              `Approved ${approved.name}: ${plural(approved.signatures.length, 'signature')}${mine ? `, yours ${groupFingerprint(mine.fingerprint)}` : ''}`,
            ),
          );
          write(io.stdout, displayText(`Next: ${stationCommand(ctx.globals().home, `export --finish ${shellWord(approved.stagedDir)} --out DIR`)}`));
        }
        return 0;
      });
    });
}

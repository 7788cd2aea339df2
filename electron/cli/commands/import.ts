import type { Command } from 'commander';
import { EXIT } from '../../../shared/exit-codes.js';
import { displayText } from '../../../shared/display-text.js';
import { bundleFromStdin, write, type CliIo } from '../io.js';
import { AirlockError } from '../../core/index.js';
import { PASSPHRASE_TRIES, promptHidden, readPassphraseFile } from '../passphrase.js';
import { progressLine } from '../progress-line.js';
import { renderVerifyResult } from '../render.js';
import type { CommandContext } from '../context.js';
import { askForMediumOption } from './media.js';

export function registerImport(program: Command, ctx: CommandContext): void {
  program
    .command('import')
    .description('verify a bundle and, only if every check passes, import its payload into DIR/<bundle name>')
    .argument(
      '<bundle>',
      'the NAME.airlock.tar file (may sit on read-only media), or a part or volume index of a split bundle, or - to read the bundle from stdin',
    )
    .requiredOption('-d, --dest <dir>', 'destination folder; the payload lands in DIR/<bundle name>/, never merged or overwritten')
    .option('--allow-replay', 'import a bundle this station already imported (the override is recorded)')
    .option('--passphrase-file <file>', 'unlock the station key to sign the receipt and an audit checkpoint (on a terminal you are asked; Enter skips)')
    .action(async (bundle: string, opts: { dest: string; allowReplay?: boolean; passphraseFile?: string; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        if (bundle === '-' && opts.passphraseFile === '-') throw new AirlockError('USAGE', 'stdin cannot carry both the bundle and the passphrase.');
        const stdin = bundleFromStdin(io, bundle);
        const passphrase = await optionalPassphrase(io, opts.passphraseFile, await station.hasKey(), (typed) =>
          station.checkSigner({ kind: 'station', passphrase: typed }),
        );
        const progress = progressLine(io);
        let result;
        try {
          result = await station.importBundle({
            bundlePath: bundle,
            ...stdin,
            destDir: opts.dest,
            signal: io.signal,
            allowReplay: opts.allowReplay || undefined,
            passphrase,
            onProgress: progress.onProgress,
            ...askForMediumOption(io),
          });
        } finally {
          progress.done();
        }
        for (const warning of result.warnings) write(io.stderr, displayText(`warning: ${warning}`));
        if (opts.json) write(io.stdout, JSON.stringify(result));
        else {
          write(io.stdout, renderVerifyResult(result, 'import', { verbose: ctx.globals().verbose === true }));
          write(io.stdout, result.ok ? displayText(`IMPORTED  ${result.destination ?? ''}`) : 'Nothing was imported; the destination is unchanged.');
          if (result.receipt) write(io.stdout, displayText(`  receipt ${result.receipt.html}${result.receipt.signature ? ' (signed)' : ' (unsigned)'}`));
          write(io.stdout, `  audit event #${result.auditEvent}`);
        }
        return result.ok ? EXIT.OK : EXIT.REJECTED;
      });
    });
}

/** A passphrase only signs the receipt here; on a terminal the operator may press Enter to skip. */
async function optionalPassphrase(
  io: CliIo,
  file: string | undefined,
  hasKey: boolean,
  check: (passphrase: string) => Promise<void>,
): Promise<string | undefined> {
  if (file !== undefined) return readPassphraseFile(file, io);
  if (!hasKey || !io.stdin.isTTY) return undefined;
  for (let attempt = 1; ; attempt += 1) {
    const typed = await promptHidden(io, 'Station key passphrase to sign the receipt (Enter to skip): ');
    if (typed.length === 0) return undefined;
    try {
      await check(typed);
      return typed;
    } catch (error) {
      if (!(error instanceof AirlockError) || error.code !== 'PASSPHRASE_WRONG' || attempt >= PASSPHRASE_TRIES) throw error;
      write(io.stderr, `Wrong passphrase; ${PASSPHRASE_TRIES - attempt === 1 ? '1 try' : `${PASSPHRASE_TRIES - attempt} tries`} left (Enter skips signing).`);
    }
  }
}

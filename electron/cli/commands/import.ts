import type { Command } from 'commander';
import { EXIT } from '../../../shared/exit-codes.js';
import { displayText } from '../../../shared/display-text.js';
import { bundleFromStdin, write } from '../io.js';
import { AirlockError } from '../../core/index.js';
import { optionalPassphrase } from '../passphrase.js';
import { progressLine } from '../progress-line.js';
import { renderVerifyResult } from '../render.js';
import type { CommandContext } from '../context.js';
import { askForMediumOption } from './media.js';
import { REGISTRY_PASSWORD_ENV, registryEndpointFrom, type RegistryCliOptions } from '../registry-options.js';
import { PUSH_FAILED_NEXT, renderPushes } from '../render-pushes.js';
import { stationCommand } from '../station-command.js';

interface ImportCliOptions extends RegistryCliOptions {
  dest?: string;
  allowReplay?: boolean;
  passphraseFile?: string;
  json?: boolean;
}

export function registerImport(program: Command, ctx: CommandContext): void {
  program
    .command('import')
    .description('verify a bundle and, only if every check passes, import its payload into DIR/<bundle name>')
    .argument(
      '<bundle>',
      'the NAME.airlock.tar file (may sit on read-only media), or a part or volume index of a split bundle, or - to read the bundle from stdin',
    )
    .option(
      '-d, --dest <dir>',
      'destination folder; the payload lands in DIR/<bundle name>/, never merged or overwritten (may be left out with --push-to when the bundle holds images only)',
    )
    .option('--allow-replay', 'import a bundle this station already imported (the override is recorded)')
    .option('--passphrase-file <file>', 'unlock the station key to sign the receipt and an audit checkpoint (on a terminal you are asked; Enter skips)')
    .option('--push-to <registry>', "after full verification, push the bundle's images to HOST[:PORT][/PREFIX] (HTTPS)")
    .option('--insecure-registry', 'push over plain HTTP; only for a registry on this machine (localhost, 127.0.0.0/8, ::1)')
    .option('--registry-ca <file>', "PEM file of the CA(s) that signed the registry's certificate, trusted besides the system's")
    .option(
      '--registry-user <user>',
      `registry user name (Basic, or to obtain a token); the password from --registry-password-file or ${REGISTRY_PASSWORD_ENV}`,
    )
    .option('--registry-password-file <file>', "file whose first line is the registry user's password (- reads it from a pipe)")
    .action(async (bundle: string, opts: ImportCliOptions) => {
      await ctx.run(async (station, io) => {
        if (bundle === '-' && opts.passphraseFile === '-') throw new AirlockError('USAGE', 'stdin cannot carry both the bundle and the passphrase.');
        if (bundle === '-' && opts.registryPasswordFile === '-')
          throw new AirlockError('USAGE', 'stdin cannot carry both the bundle and the registry password.');
        if (opts.passphraseFile === '-' && opts.registryPasswordFile === '-') throw new AirlockError('USAGE', 'stdin cannot carry both passwords.');
        if (opts.dest === undefined && opts.pushTo === undefined)
          throw new AirlockError('USAGE', 'Give --dest DIR for the files, or --push-to REGISTRY for the images (or both).');
        const pushTo = await registryEndpointFrom(opts, io);
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
            pushTo,
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
        const pushFailed = result.pushes?.some((p) => p.outcome === 'failed') === true;
        if (opts.json) write(io.stdout, JSON.stringify(result));
        else {
          write(io.stdout, renderVerifyResult(result, 'import', { verbose: ctx.globals().verbose === true }));
          if (result.pushes !== undefined) write(io.stdout, renderPushes(result.pushes, opts.pushTo ?? ''));
          if (!result.ok) write(io.stdout, 'Nothing was imported; the destination is unchanged.');
          else if (result.heartbeat === true)
            write(io.stdout, 'HEARTBEAT  received and recorded on its channel; a heartbeat carries no files, nothing was written to the destination.');
          if (result.quarantine) {
            write(io.stdout, displayText(`QUARANTINED  ${result.quarantine.id}  (kept in ${result.quarantine.path})`));
            write(io.stdout, displayText(`Next: ${stationCommand(ctx.globals().home, `quarantine show ${result.quarantine.id}`)}`));
          } else if (result.destination !== null) write(io.stdout, displayText(`IMPORTED  ${result.destination}`));
          if (pushFailed) write(io.stdout, `Next: ${PUSH_FAILED_NEXT}`);
          if (result.receipt) write(io.stdout, displayText(`  receipt ${result.receipt.html}${result.receipt.signature ? ' (signed)' : ' (unsigned)'}`));
          if (result.receipt?.pdf) write(io.stdout, displayText(`  receipt PDF ${result.receipt.pdf}${result.receipt.pdfSignature ? ' (signed)' : ''}`));
          write(io.stdout, `  audit event #${result.auditEvent}`);
        }
        if (!result.ok) return EXIT.REJECTED;
        return pushFailed ? EXIT.OPERATIONAL : EXIT.OK;
      });
    });
}

import type { Command } from 'commander';
import { EXIT } from '../../../shared/exit-codes.js';
import { displayText } from '../../../shared/display-text.js';
import { write } from '../io.js';
import { progressLine } from '../progress-line.js';
import { renderVerifyResult } from '../render.js';
import type { CommandContext } from '../context.js';

export function registerImport(program: Command, ctx: CommandContext): void {
  program
    .command('import')
    .description('verify a bundle and, only if every check passes, import its payload into DIR/<bundle name>')
    .argument('<bundle>', 'the NAME.airlock.tar file (may sit on read-only media)')
    .requiredOption('--dest <dir>', 'destination folder; the payload lands in DIR/<bundle name>/, never merged or overwritten')
    .option('--allow-replay', 'import a bundle this station already imported (the override is recorded)')
    .option('--json', 'print one JSON object: { ok, bundle, signers, problems, destination, warnings }')
    .action(async (bundle: string, opts: { dest: string; allowReplay?: boolean; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const progress = progressLine(io);
        let result;
        try {
          result = await station.importBundle({
            bundlePath: bundle,
            destDir: opts.dest,
            signal: io.signal,
            ...(opts.allowReplay ? { allowReplay: true } : {}),
            ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
          });
        } finally {
          progress.done();
        }
        for (const warning of result.warnings) write(io.stderr, displayText(`warning: ${warning}`));
        if (opts.json) write(io.stdout, JSON.stringify(result));
        else {
          io.stdout.write(renderVerifyResult(result));
          write(io.stdout, result.ok ? `IMPORTED  ${result.destination ?? ''}` : 'Nothing was imported; the destination is unchanged.');
        }
        return result.ok ? EXIT.OK : EXIT.REJECTED;
      });
    });
}

import type { Command } from 'commander';
import { EXIT } from '../../../shared/exit-codes.js';
import { Station } from '../../core/index.js';
import { bundleFromStdin, write } from '../io.js';
import { progressLine } from '../progress-line.js';
import { renderVerifyResult } from '../render.js';
import type { CommandContext } from '../context.js';
import { askForMediumOption } from './media.js';

export function registerVerify(program: Command, ctx: CommandContext): void {
  program
    .command('verify')
    .description('prove who signed a bundle and that every byte is intact (nothing is written)')
    .argument(
      '<bundle>',
      'the NAME.airlock.tar file, or a part or volume index of a split bundle (the other parts are found beside it or on inserted media), or - to read the bundle from stdin',
    )
    .action(async (bundle: string, opts: { json?: boolean }) => {
      // The lanes' worker boots while the station opens (a large plain bundle file only; nothing of it is read here).
      if (bundle !== '-') await Station.warmPayloadLanes(bundle);
      await ctx.run(async (station, io) => {
        const stdin = bundleFromStdin(io, bundle);
        const progress = progressLine(io);
        let result;
        try {
          result = await station.verifyBundle({ bundlePath: bundle, ...stdin, signal: io.signal, ...askForMediumOption(io), onProgress: progress.onProgress });
        } finally {
          progress.done();
        }
        if (opts.json) write(io.stdout, JSON.stringify(result));
        else write(io.stdout, renderVerifyResult(result, 'verify', { verbose: ctx.globals().verbose === true }));
        return result.ok ? EXIT.OK : EXIT.REJECTED;
      });
    });
}

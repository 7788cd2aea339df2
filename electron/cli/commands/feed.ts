import type { Command } from 'commander';
import { EXIT } from '../../../shared/exit-codes.js';
import { displayText } from '../../../shared/display-text.js';
import { plural } from '../../../shared/format.js';
import type { DatabaseState } from '../../core/index.js';
import { write } from '../io.js';
import { progressLine } from '../progress-line.js';
import { renderVerifyResult } from '../render.js';
import type { CommandContext } from '../context.js';

function databaseLine(label: string, state: DatabaseState | null): string {
  if (state === null || state.version === null) return `${label} unknown`;
  const age = state.ageDays === null ? '' : `, ${state.ageDays} day${state.ageDays === 1 ? '' : 's'} old`;
  return `${label} version ${state.version} (${state.date ?? 'date unknown'}${age})`;
}

/** `airlock feed import`: install a signature-database feed bundle for the station's scanner (issue #16.6). */
export function registerFeed(program: Command, ctx: CommandContext): void {
  const feed = program.command('feed').description('signature-database feeds for the malware scanner (ClamAV databases carried as a signed bundle)');
  feed
    .command('import')
    .description(
      'verify a feed bundle (signed by a key trusted with the feeds role), check each database with sigtool, swap it into the policy’s scan.databaseDir and tell clamd to RELOAD',
    )
    .argument('<bundle>', 'the NAME.airlock.tar file whose payload is ClamAV database files (.cvd, .cld, .cud)')
    .option('--allow-downgrade', 'install a database older than the one installed (a deliberate rollback; recorded)')
    .action(async (bundle: string, opts: { allowDowngrade?: boolean; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const progress = progressLine(io);
        let result;
        try {
          result = await station.importFeed({
            bundlePath: bundle,
            allowDowngrade: opts.allowDowngrade || undefined,
            signal: io.signal,
            onProgress: progress.onProgress,
          });
        } finally {
          progress.done();
        }
        for (const warning of result.warnings) write(io.stderr, displayText(`warning: ${warning}`));
        if (opts.json) write(io.stdout, JSON.stringify(result));
        else {
          write(io.stdout, renderVerifyResult(result, 'import', { verbose: ctx.globals().verbose === true }));
          if (!result.ok) write(io.stdout, 'Nothing was installed; the scanner’s database is unchanged.');
          else {
            for (const file of result.installed)
              write(io.stdout, displayText(`INSTALLED  ${file.name}  version ${file.version}, ${plural(file.signatures, 'signature')}, built ${file.builtAt}`));
            write(io.stdout, displayText(databaseLine('Database before:', result.before)));
            write(io.stdout, displayText(databaseLine('Database now:   ', result.after)));
          }
        }
        return result.ok ? EXIT.OK : EXIT.REJECTED;
      });
    });
}

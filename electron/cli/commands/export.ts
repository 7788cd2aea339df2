import type { Command } from 'commander';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { formatBytes } from '../../../shared/format.js';
import { displayText } from '../../../shared/display-text.js';
import { write } from '../io.js';
import { obtainPassphrase } from '../passphrase.js';
import { progressLine } from '../progress-line.js';
import type { CommandContext } from '../context.js';

export function registerExport(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .description('bundle files and folders into a signed NAME.airlock.tar')
    .argument('<paths...>', 'files and folders to send; a folder "foo" becomes data/foo/ in the bundle')
    .requiredOption('--out <dir>', 'folder to write the bundle into')
    .option('--name <name>', 'bundle name (letters, digits, . _ -); default airlock-<sequence>-<date>')
    .option('--passphrase-file <file>', 'read the station key passphrase from the first line of a file (else you are asked)')
    .option('--json', 'print one JSON object')
    .action(async (paths: string[], opts: { out: string; name?: string; passphraseFile?: string; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const passphrase = await obtainPassphrase(io, opts.passphraseFile);
        const progress = progressLine(io);
        let result;
        try {
          result = await station.exportBundle({
            selection: paths,
            outDir: opts.out,
            passphrase,
            signal: io.signal,
            // An explicit empty --name is refused by the engine, not replaced by the default.
            ...(opts.name !== undefined ? { name: opts.name } : {}),
            ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
          });
        } finally {
          progress.done();
        }
        for (const warning of result.warnings) write(io.stderr, displayText(`warning: ${warning.path}: ${warning.message}`));
        if (opts.json) {
          write(io.stdout, JSON.stringify({ ok: true, bundle: result }));
        } else {
          write(io.stdout, `Exported ${result.bundlePath}`);
          write(io.stdout, `  ${result.files} files, ${formatBytes(result.bytes)} payload, ${formatBytes(result.bundleBytes)} on disk (fsynced)`);
          write(io.stdout, `  id ${result.uuid}, sequence ${result.sequence}`);
          for (const signer of result.signers) write(io.stdout, displayText(`  signed by ${signer.userIds.join(', ')}  ${groupFingerprint(signer.fingerprint)}`));
          if (result.receipt) write(io.stdout, displayText(`  receipt ${result.receipt.html} (signed)`));
          write(io.stdout, `  audit event #${result.auditEvent}${result.checkpoint ? `, checkpoint signed` : ''}`);
        }
        return 0;
      });
    });
}

import type { Command } from 'commander';
import { displayText } from '../../../shared/display-text.js';
import { plural } from '../../../shared/format.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { AUDIT_EVENT_TYPES, AUDIT_OUTCOMES } from '../../../shared/audit-types.js';
import { AirlockError } from '../../core/index.js';
import { write } from '../io.js';
import { obtainPassphrase } from '../passphrase.js';
import { progressLine } from '../progress-line.js';
import type { CommandContext } from '../context.js';
import { registerAuditForward } from './audit-forward.js';

const TYPES: readonly string[] = AUDIT_EVENT_TYPES;
const OUTCOMES: readonly string[] = AUDIT_OUTCOMES;

function isoTime(value: string, flag: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AirlockError('USAGE', `${flag} "${value}" is not a date or time (e.g. 2026-11-28 or 2026-11-28T09:00:00Z).`);
  return new Date(ms).toISOString();
}

export function registerAudit(program: Command, ctx: CommandContext): void {
  const audit = program.command('audit').description('the tamper-evident log of every export, verify, import and key change');

  audit
    .command('list')
    .description('show events, newest first')
    .option('--since <time>', 'only events at or after this date/time')
    .option('--until <time>', 'only events before this date/time')
    .option('--type <type>', `only this type: ${TYPES.join(', ')}`)
    .option('--outcome <outcome>', `only this outcome: ${OUTCOMES.join(', ')}`)
    .option('--bundle <id>', 'only events about this bundle (UUID or name)')
    .option('--text <text>', 'only events whose bundle name, operator, station, problems or details contain this text')
    .option('--limit <n>', 'at most this many events (default 100)', '100')
    .action(
      async (opts: { since?: string; until?: string; type?: string; outcome?: string; bundle?: string; text?: string; limit: string; json?: boolean }) => {
        await ctx.run(async (station, io) => {
          if (opts.type && !TYPES.includes(opts.type)) throw new AirlockError('USAGE', `--type must be one of ${TYPES.join(', ')}.`);
          if (opts.outcome && !OUTCOMES.includes(opts.outcome)) throw new AirlockError('USAGE', `--outcome must be one of ${OUTCOMES.join(', ')}.`);
          const limit = Number(opts.limit);
          if (!Number.isInteger(limit) || limit < 1) throw new AirlockError('USAGE', '--limit must be a positive whole number.');
          const events = station.listAudit({
            limit,
            since: opts.since ? isoTime(opts.since, '--since') : undefined,
            until: opts.until ? isoTime(opts.until, '--until') : undefined,
            type: opts.type || undefined,
            outcome: opts.outcome || undefined,
            bundle: opts.bundle || undefined,
            text: opts.text || undefined,
          });
          if (opts.json) {
            write(io.stdout, JSON.stringify({ ok: true, events }));
            return EXIT.OK;
          }
          if (events.length === 0) write(io.stdout, 'No events match.');
          for (const e of events) {
            const what = [
              e.bundleName,
              e.files !== null ? plural(e.files, 'file') : null,
              e.problemCodes.length > 0 ? e.problemCodes.join(',') : null,
              e.errorCode,
            ]
              .filter((x): x is string => typeof x === 'string' && x.length > 0)
              .join('  ');
            write(io.stdout, displayText(`#${e.seq}  ${e.at}  ${e.type.padEnd(14)} ${e.outcome.padEnd(9)} ${e.operator}  ${what}`));
          }
          return EXIT.OK;
        });
      },
    );

  audit
    .command('verify')
    .description('check the hash chain, every signed checkpoint and the signed head; exit 1 naming the first broken event')
    .action(async (opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        // A million events take seconds: Ctrl-C ("Cancelling...") must stop the walk, not wait for its verdict.
        // On a terminal, the events checked with their rate and time left (stderr; --json's stdout is unchanged).
        const progress = progressLine(io);
        let result;
        try {
          result = await station.verifyAudit({ signal: io.signal, onProgress: progress.onProgress });
        } finally {
          progress.done();
        }
        if (opts.json) write(io.stdout, JSON.stringify(result));
        else {
          if (result.ok)
            write(
              io.stdout,
              `INTACT  ${plural(result.events, 'event')}, ${plural(result.checkpoints, 'signed checkpoint')}${result.lastCheckpointSeq !== null ? ` (latest covers #${result.lastCheckpointSeq})` : ''}`,
            );
          else write(io.stdout, displayText(`BROKEN at event #${result.firstBroken?.seq ?? '?'}: ${result.firstBroken?.reason ?? ''}`));
          for (const note of result.notes) write(io.stdout, displayText(`  note: ${note}`));
        }
        return result.ok ? EXIT.OK : EXIT.REJECTED;
      });
    });

  audit
    .command('export')
    .description('stream the whole log (events, per-file rows, checkpoints) to stdout')
    .requiredOption('-f, --format <format>', 'csv or json')
    .action(async (opts: { format: string }) => {
      await ctx.run(async (station, io) => {
        if (opts.format !== 'csv' && opts.format !== 'json') throw new AirlockError('USAGE', '--format must be csv or json.');
        // Ctrl-C stops the stream (what was written stays, as with any tool writing to stdout) with CANCELLED, exit 3.
        await station.exportAudit(opts.format, io.stdout, { signal: io.signal });
        return EXIT.OK;
      });
    });

  audit
    .command('checkpoint')
    .description('sign the head of the log with the station key now (exports and signed imports do this too)')
    .option('--passphrase-file <file>', 'read the station key passphrase from the first line of a file (else you are asked)')
    .action(async (opts: { passphraseFile?: string; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const checkpoint = await station.checkpointAudit(
          await obtainPassphrase(io, opts.passphraseFile, { check: (passphrase) => station.checkSigner({ kind: 'station', passphrase }) }),
        );
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, checkpoint }));
        else write(io.stdout, checkpoint ? `Signed the head: event #${checkpoint.seq} ${checkpoint.hash}` : 'The log is empty: nothing to sign.');
        return EXIT.OK;
      });
    });

  registerAuditForward(audit, ctx);
}

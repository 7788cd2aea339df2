import type { Command } from 'commander';
import { realpath } from 'node:fs/promises';
import { EXIT } from '../../../shared/exit-codes.js';
import { displayText, jsonText } from '../../../shared/display-text.js';
import { plural } from '../../../shared/format.js';
import type { WatchBundleRecord, WatchStatus } from '../../../shared/watch.js';
import { AirlockError } from '../../core/index.js';
import { write } from '../io.js';
import { readPassphraseFile } from '../passphrase.js';
import type { CommandContext } from '../context.js';

interface WatchCliOptions {
  dest?: string;
  status?: boolean;
  settle?: string;
  rescan?: string;
  alarmEvery?: string;
  passphraseFile?: string;
  json?: boolean;
}

function seconds(value: string | undefined, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > 86_400)
    throw new AirlockError('USAGE', `${option} takes a number of seconds from ${min} to 86400; it was given ${JSON.stringify(value)}.`);
  return n;
}

export function registerWatch(program: Command, ctx: CommandContext): void {
  program
    .command('watch')
    .description('import every complete bundle that arrives in INBOX into DIR, unattended, until stopped (SIGTERM or Ctrl-C); --status shows the watchers')
    .argument('[inbox]', 'the folder bundles arrive in (accepted/, quarantine/, refused/ and .airlock-watch/ are made inside it)')
    .option('-d, --dest <dir>', 'destination folder; each payload lands in DIR/<bundle name>/')
    .option('--status', "print this station's watchers (all, or the one on INBOX): state, counts, last bundle, channel gaps, heartbeat alarms")
    .option('--settle <seconds>', 'a file counts as complete once unchanged this long, or at once when FILE.done is newer than it (default 5)')
    .option('--rescan <seconds>', 'look at the inbox at least this often besides file-system events (default 2)')
    .option('--alarm-every <seconds>', 'check for missing channel heartbeats this often (default 60)')
    .option('--passphrase-file <file>', 'unlock the station key to sign receipts and audit checkpoints (default: unsigned)')
    .action(async (inbox: string | undefined, opts: WatchCliOptions) => {
      await ctx.run(async (station, io) => {
        if (opts.status) return showStatus(station.watchStatuses(), inbox, opts.json === true, io.stdout);
        if (inbox === undefined) throw new AirlockError('USAGE', 'Give the inbox folder: airlock watch INBOX --dest DIR (or --status).');
        if (opts.dest === undefined) throw new AirlockError('USAGE', 'Give --dest DIR, the folder the payloads land in.');
        const settleSeconds = seconds(opts.settle, '--settle', 0);
        const rescanSeconds = seconds(opts.rescan, '--rescan', 0.05);
        const alarmSeconds = seconds(opts.alarmEvery, '--alarm-every', 1);
        const passphrase = opts.passphraseFile === undefined ? undefined : await readPassphraseFile(opts.passphraseFile, io);
        // SIGTERM (systemd's stop) as Ctrl-C: no new bundle, the current import cancelled, `stopped` written, exit 0.
        const stop = new AbortController();
        const onSignal = (): void => stop.abort();
        io.signal.addEventListener('abort', onSignal, { once: true });
        process.once('SIGTERM', onSignal);
        try {
          const final = await station.watchInbox({
            inbox,
            destDir: opts.dest,
            settleSeconds,
            rescanSeconds,
            alarmSeconds,
            passphrase,
            signal: stop.signal,
            onOutcome: (record) => {
              if (opts.json !== true) write(io.stdout, outcomeLine(record));
            },
            onTrouble: (message) => write(io.stderr, displayText(`warning: ${message}`)),
          });
          if (opts.json) write(io.stdout, JSON.stringify({ ok: true, status: final }));
          else write(io.stdout, `Stopped. ${countsLine(final)}`);
          return EXIT.OK;
        } finally {
          process.off('SIGTERM', onSignal);
          io.signal.removeEventListener('abort', onSignal);
        }
      });
    });
}

function outcomeLine(record: WatchBundleRecord): string {
  const codes = record.codes.length > 0 ? `  (${record.codes.join(', ')})` : '';
  return displayText(`${record.outcome.toUpperCase().padEnd(11)} ${record.name}${codes}${record.movedTo ? `  -> ${record.movedTo}` : ''}`);
}

function countsLine(status: WatchStatus): string {
  const c = status.counts;
  return `accepted ${c.accepted}, quarantined ${c.quarantined}, rejected ${c.rejected}, heartbeats ${c.heartbeats}, failed ${c.failed}, queued ${c.queued}, arriving ${c.arriving}`;
}

async function showStatus(all: WatchStatus[], inbox: string | undefined, json: boolean, out: NodeJS.WritableStream): Promise<number> {
  let statuses = all;
  if (inbox !== undefined) {
    const real = await realpath(inbox).catch(() => inbox);
    statuses = all.filter((s) => s.inbox === real);
    if (statuses.length === 0) throw new AirlockError('NOT_FOUND', `No watcher of this station has watched ${inbox}.`, { path: inbox });
  }
  if (json) {
    out.write(`${jsonText({ ok: true, watchers: statuses })}\n`);
    return EXIT.OK;
  }
  if (statuses.length === 0) out.write('No watcher has run for this station.\n');
  for (const s of statuses) out.write(`${renderStatus(s)}\n`);
  return EXIT.OK;
}

export function renderStatus(s: WatchStatus): string {
  const lines = [
    displayText(`${s.inbox}  ${s.state.toUpperCase()}  (pid ${s.pid}, started ${s.startedAt}, updated ${s.updatedAt})`),
    displayText(`  dest ${s.dest}`),
    `  ${countsLine(s)}`,
  ];
  if (s.current) lines.push(displayText(`  now: ${s.current.name} (${s.current.phase} since ${s.current.since})`));
  if (s.lastBundle) lines.push(`  last: ${outcomeLine(s.lastBundle)} at ${s.lastBundle.finishedAt}`);
  for (const gap of s.gaps.slice(0, 10))
    lines.push(displayText(`  gap: ${gap.code} channel ${gap.channel} from ${gap.signer}: expected ${gap.expected}, got ${gap.received} (${gap.decision})`));
  if (s.gaps.length > 10) lines.push(`  ... ${plural(s.gaps.length - 10, 'more channel finding')} (--json shows them all)`);
  for (const set of (s.waiting ?? []).slice(0, 10)) {
    const what = [...set.missing.map((f) => `${f} (missing)`), ...set.incomplete.map((f) => `${f} (still arriving)`)];
    lines.push(displayText(`  waiting: split bundle ${set.name} for ${what.join(', ')}`));
  }
  for (const wait of (s.importWaits ?? []).slice(0, 10)) {
    const other = wait.other === null ? 'another import' : `import #${wait.other.id} (process ${wait.other.pid ?? '?'}, to ${wait.other.destination})`;
    lines.push(displayText(`  waiting: ${wait.name} for ${other} of the same bundle, since ${wait.since}; try ${wait.tries}, next at ${wait.nextTryAt}`));
  }
  if ((s.importWaits ?? []).length > 10)
    lines.push(`  ... ${plural((s.importWaits ?? []).length - 10, 'more bundle waiting for another import')} (--json shows them all)`);
  if ((s.waiting ?? []).length > 10) lines.push(`  ... ${plural((s.waiting ?? []).length - 10, 'more waiting split bundle')} (--json shows them all)`);
  for (const alarm of s.alarms)
    lines.push(
      displayText(`  ALARM: no heartbeat on channel ${alarm.channel} from ${alarm.signer} since ${alarm.lastReceivedAt} (${alarm.overdueSeconds} s overdue)`),
    );
  if (s.state === 'dead') lines.push('  The watcher process is gone (killed or crashed); start it again: it finishes what it left.');
  return lines.join('\n');
}

/**
 * `airlock audit forward`: deliver the audit log's backlog to the SIEM sinks config.json names now
 * (exit 3, FORWARD_UNAVAILABLE, when one cannot take it: the backlog stays for the next attempt);
 * `--follow` keeps forwarding, new events included, until Ctrl-C or SIGTERM; `--status` shows
 * each sink's delivered seq and backlog (docs/siem.md).
 */
import type { Command } from 'commander';
import { displayText } from '../../../shared/display-text.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { plural } from '../../../shared/format.js';
import type { ForwardSinkStatus, ForwardStatus } from '../../../shared/forward.js';
import { AirlockError, type SinkChange, type Station } from '../../core/index.js';
import type { CommandContext } from '../context.js';
import { write, type CliIo } from '../io.js';

const NOT_CONFIGURED = 'No forwarding is configured: config.json has no "forward" section (see docs/siem.md).';

function sinkLine(sink: ForwardSinkStatus): string {
  const state = sink.lastError === null ? 'ok' : `FAILING: ${sink.lastError}`;
  const last = sink.lastDeliveredAt === null ? 'never' : sink.lastDeliveredAt;
  return displayText(
    `${sink.kind.padEnd(9)} ${sink.target}  delivered #${sink.deliveredSeq} of #${sink.headSeq}, backlog ${sink.backlog}, last delivery ${last}  ${state}`,
  );
}

function printStatus(io: CliIo, status: ForwardStatus): void {
  if (!status.configured) write(io.stdout, NOT_CONFIGURED);
  for (const sink of status.sinks) write(io.stdout, sinkLine(sink));
}

function failing(status: ForwardStatus): ForwardSinkStatus[] {
  return status.sinks.filter((sink) => sink.lastError !== null || sink.backlog > 0);
}

function unavailable(sinks: ForwardSinkStatus[]): AirlockError {
  const what = sinks
    .map((sink) => `${sink.kind} ${sink.target}: ${sink.lastError ?? 'not delivered'}; ${plural(sink.backlog, 'event')} wait in the outbox`)
    .join('. ');
  return new AirlockError('FORWARD_UNAVAILABLE', displayText(what), { data: { sinks: sinks.length } });
}

function describeChange(kind: string, target: string, change: SinkChange): string | null {
  switch (change.kind) {
    case 'failed':
      return displayText(`${kind} ${target}: failed (${change.failures} in a row): ${change.error}; retrying`);
    case 'recovered':
      return `${kind} ${target}: delivering again`;
    case 'delivered':
      return null;
  }
}

async function deliverOnce(station: Station, io: CliIo, json: boolean): Promise<number> {
  const result = await station.forwardNow({
    signal: io.signal,
    onChange: (kind, target, change) => {
      const line = change.kind === 'failed' ? describeChange(kind, target, change) : null;
      if (line !== null && !json) write(io.stderr, line);
    },
  });
  if (io.signal.aborted) throw new AirlockError('CANCELLED');
  const status = await station.forwardStatus();
  // A running forwarder delivers the backlog; only its last attempt's failure counts against this run.
  const failed = result.busy ? status.sinks.filter((sink) => sink.lastError !== null) : failing(status);
  if (!json) {
    if (result.busy)
      write(io.stdout, 'Another forwarder (airlock watch, airlock audit forward --follow or the app) is delivering for this station; its status:');
    printStatus(io, status);
  }
  // With --json a failure prints only the error object (its message names each failing sink).
  if (failed.length > 0) throw unavailable(failed);
  if (json) write(io.stdout, JSON.stringify({ ok: true, busy: result.busy, ...status }));
  return EXIT.OK;
}

async function follow(station: Station, io: CliIo, json: boolean): Promise<number> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGTERM', onSignal);
  io.signal.addEventListener('abort', onSignal, { once: true });
  try {
    if (!json) write(io.stderr, 'Forwarding audit events; Ctrl-C or SIGTERM stops.');
    await station.runForwarder({
      signal: stop.signal,
      onWaitingForLease: () => {
        if (!json) write(io.stderr, 'Another forwarder is delivering for this station; waiting to take over when it stops.');
      },
      onChange: (kind, target, change) => {
        const line = describeChange(kind, target, change);
        if (line !== null && !json) write(io.stderr, line);
      },
    });
  } finally {
    process.off('SIGTERM', onSignal);
    io.signal.removeEventListener('abort', onSignal);
  }
  const status = await station.forwardStatus();
  if (json) write(io.stdout, JSON.stringify({ ok: true, busy: false, ...status }));
  else printStatus(io, status);
  return EXIT.OK;
}

export function registerAuditForward(audit: Command, ctx: CommandContext): void {
  audit
    .command('forward')
    .description('deliver the audit log to the SIEM sinks in config.json (syslog, JSON lines) now; --follow keeps going; --status shows the backlog')
    .option('--follow', 'keep forwarding, new events included, until Ctrl-C or SIGTERM')
    .option('--status', 'show each sink’s delivered event and backlog; send nothing')
    .action(async (opts: { follow?: boolean; status?: boolean; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        if (opts.follow && opts.status) throw new AirlockError('USAGE', '--follow and --status do not go together.');
        const json = opts.json === true;
        if (opts.status) {
          const status = await station.forwardStatus();
          if (json) write(io.stdout, JSON.stringify({ ok: true, busy: false, ...status }));
          else printStatus(io, status);
          return EXIT.OK;
        }
        const status = await station.forwardStatus();
        if (!status.configured) {
          if (json) write(io.stdout, JSON.stringify({ ok: true, busy: false, ...status }));
          else write(io.stdout, NOT_CONFIGURED);
          return EXIT.OK;
        }
        return opts.follow ? follow(station, io, json) : deliverOnce(station, io, json);
      });
    });
}

import type { Command } from 'commander';
import { displayText } from '../../../shared/display-text.js';
import type { ChannelState } from '../../../shared/channels.js';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { write } from '../io.js';
import { progressLine } from '../progress-line.js';
import type { CommandContext } from '../context.js';
import { channelLine } from '../channel-lines.js';
import { signerFromOptions } from './export.js';

/** `airlock heartbeat` and `airlock channels` (issue #17.1, docs/channels.md). */
export function registerChannels(program: Command, ctx: CommandContext): void {
  program
    .command('heartbeat')
    .description('write a signed heartbeat bundle (empty payload) taking the channel’s next sequence number, so the far side can tell silence from loss')
    .requiredOption('--channel <name>', 'the channel (lower-case letters, digits, . _ -)')
    .requiredOption('-o, --out <dir>', 'folder to write the heartbeat bundle into')
    .option('-n, --name <name>', 'bundle name; default heartbeat-<channel>-<sequence>-<date>')
    .option('--passphrase-file <file>', 'read the station key passphrase (or the GnuPG key passphrase) from the first line of a file (else you are asked)')
    .option('--signer <spec>', 'sign with a GnuPG key instead of the station key: gpg:<fingerprint>')
    .action(async (opts: { channel: string; out: string; name?: string; passphraseFile?: string; signer?: string; json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const signer = await signerFromOptions(io, station, opts.signer, opts.passphraseFile);
        const progress = progressLine(io);
        let result;
        try {
          result = await station.sendHeartbeat({
            channel: opts.channel,
            outDir: opts.out,
            name: opts.name,
            signer,
            signal: io.signal,
            onProgress: progress.onProgress,
          });
        } finally {
          progress.done();
        }
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, bundle: result }));
        else {
          write(io.stdout, displayText(`Heartbeat ${result.bundlePath}`));
          if (result.channel) write(io.stdout, displayText(channelLine(result.channel)));
          write(io.stdout, `  audit event #${result.auditEvent}`);
        }
        return 0;
      });
    });

  program
    .command('channels')
    .description('what this station received per signer and channel: last sequence, when, missing numbers, heartbeat alarm')
    .action(async (opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const channels = await station.channelStates();
        if (opts.json) {
          write(io.stdout, JSON.stringify({ ok: true, channels }));
          return 0;
        }
        if (channels.length === 0) write(io.stdout, 'No channel traffic received yet.');
        for (const state of channels) for (const line of channelStateLines(state)) write(io.stdout, displayText(line));
        return 0;
      });
    });
}

function channelStateLines(state: ChannelState): string[] {
  const lines = [`${state.channel}  from ${groupFingerprint(state.signer)}`];
  lines.push(
    `  last sequence ${state.lastSequence}, received ${state.lastReceivedAt}${state.lastHeartbeatAt ? `, last heartbeat ${state.lastHeartbeatAt}` : ''}`,
  );
  if (state.missing.length > 0) lines.push(`  MISSING ${state.missing.join(', ')}${state.missing.length >= 100 ? ', …' : ''}`);
  if (state.heartbeatIntervalSeconds !== null) lines.push(`  heartbeat interval ${state.heartbeatIntervalSeconds} s`);
  if (state.alarm) lines.push(`  ALARM: silent ${state.alarm.overdueSeconds} s past the interval (nothing since ${state.alarm.lastReceivedAt})`);
  return lines;
}

import type { ChannelStamp } from '../../shared/channels.js';
import { groupFingerprint } from '../../shared/fingerprint.js';
import type { ChannelReport } from '../../shared/results.js';

/** `  channel diode-a, sequence 3 (previous 9f86d0…)`: what an export stamped (docs/channels.md). */
export function channelLine(stamp: ChannelStamp): string {
  const previous = stamp.previousTagManifestSha256 === null ? 'first on the channel' : `previous ${stamp.previousTagManifestSha256.slice(0, 12)}…`;
  return `  ${stamp.heartbeat ? 'heartbeat on channel' : 'channel'} ${stamp.channel}, sequence ${stamp.sequence} (${previous})`;
}

/** The channel part of a verify or import report: the stamp, then each finding with what the policy decided. */
export function renderChannel(report: ChannelReport | undefined): string[] {
  if (!report) return [];
  const { stamp } = report;
  const lines = [
    `  Channel ${stamp.channel}: ${stamp.heartbeat ? 'heartbeat, ' : ''}sequence ${stamp.sequence} from ${groupFingerprint(report.signer)}${report.findings.length === 0 ? ', as expected' : ''}`,
  ];
  for (const finding of report.findings) {
    lines.push(`    ${finding.decision === 'refuse' ? 'REFUSED' : 'WARNING'} ${finding.code}: expected ${finding.expected}, received ${finding.received}`);
    lines.push(`      ${finding.message}`);
  }
  return lines;
}

/**
 * What both SIEM formats take from an audit event (docs/siem.md): the severity its outcome and
 * type warrant, the channel it concerns (details.channel on imports, details.channel/sequence on
 * heartbeats and alarms), and a short human line. Every text here may come from a bundle or an
 * operator (names, file names): formatters escape it; this module only reads and bounds it.
 */
import type { AuditEvent } from '../audit/audit-event.js';

/** RFC 5424 severities used here: 3 error, 4 warning, 5 notice, 6 informational. */
export type Severity = 3 | 4 | 5 | 6;

/** A failed operation is an error; a refused bundle or an alarm a warning; a cancellation a notice; the rest informational. */
export function severityOf(event: Pick<AuditEvent, 'type' | 'outcome' | 'details'>): Severity {
  if (event.outcome === 'failed') return 3;
  if (event.outcome === 'rejected' || event.type === 'channel-alarm') return 4;
  if (channelOf(event.details).findings.length > 0) return 4;
  if (event.outcome === 'cancelled') return 5;
  return 6;
}

export interface ChannelFields {
  name: string | null;
  sequence: number | null;
  /** Problem codes of the channel findings (CHANNEL_GAP ...), in the order recorded. */
  findings: string[];
}

const MAX_FINDINGS = 16;

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function asSequence(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/**
 * The channel an event concerns, read defensively from its details: `channel` as a name (heartbeat,
 * alarm) or as a report object ({ stamp: { channel, sequence }, findings: [{ code }] }, or flat
 * { channel|name, sequence, findings }). Anything else yields nulls, never a throw.
 */
export function channelOf(details: Record<string, unknown>): ChannelFields {
  const raw = details['channel'];
  const report = asRecord(raw);
  if (report === null) return { name: asString(raw), sequence: asSequence(details['sequence']), findings: [] };
  const stamp = asRecord(report['stamp']);
  const name = asString(stamp?.['channel']) ?? asString(report['channel']) ?? asString(report['name']);
  const sequence = asSequence(stamp?.['sequence']) ?? asSequence(report['sequence']);
  const findings: string[] = [];
  const list = report['findings'];
  if (Array.isArray(list)) {
    for (const finding of list) {
      const code = typeof finding === 'string' ? finding : asString(asRecord(finding)?.['code']);
      if (code !== null && findings.length < MAX_FINDINGS) findings.push(code);
    }
  }
  return { name, sequence, findings };
}

/** At most `max` UTF-16 units, cut on a code-point boundary, with `…` marking a cut. */
export function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** The short human line (MSG, ECS message): what happened to what, and by whom. Unescaped: each format escapes it. */
export function summaryLine(event: AuditEvent): string {
  const parts = [`${event.type} ${event.outcome}`];
  if (event.bundleName !== null) parts.push(`bundle "${bounded(event.bundleName, 120)}"`);
  if (event.files !== null) parts.push(`${event.files} file${event.files === 1 ? '' : 's'}`);
  const channel = channelOf(event.details);
  if (channel.name !== null) parts.push(`channel ${bounded(channel.name, 64)}${channel.sequence !== null ? ` #${channel.sequence}` : ''}`);
  if (event.problemCodes.length > 0) parts.push(`problems ${event.problemCodes.slice(0, 8).join(',')}${event.problemCodes.length > 8 ? ',…' : ''}`);
  if (channel.findings.length > 0) parts.push(`findings ${channel.findings.join(',')}`);
  if (event.errorCode !== null) parts.push(`error ${event.errorCode}`);
  parts.push(`by ${bounded(event.operator, 120)}`);
  return parts.join(', ');
}

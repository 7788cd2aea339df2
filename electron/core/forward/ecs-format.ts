/**
 * One audit event as one line of Elastic Common Schema JSON (docs/siem.md): `@timestamp`,
 * `event.*` (kind, category, type, action = the audit type, outcome, sequence = the audit seq,
 * hash = the event's chain hash), `host.name` = station, `user.name` = operator, `file.name` for
 * the bundle, `related.hash`, `labels`, and the rest under `airlock.*`. Values are kept exactly
 * (this is the forensic copy); control, bidi and line-separator characters are written as JSON
 * `\u` escapes, which parse back to the same text, so no raw line break or display trick ever
 * reaches the file and one object is always one line.
 */
import { jsonText } from '../../../shared/display-text.js';
import type { AuditEvent } from '../audit/audit-event.js';
import { channelOf, summaryLine } from './event-fields.js';

export const ECS_VERSION = '8.11.0';

type EcsOutcome = 'success' | 'failure' | 'unknown';

function outcomeOf(outcome: string): EcsOutcome {
  if (outcome === 'ok') return 'success';
  if (outcome === 'rejected' || outcome === 'failed') return 'failure';
  return 'unknown';
}

/** ECS event categorisation per audit type (allowed values of event.category / event.type only). */
function categorise(event: AuditEvent): { kind: 'event' | 'alert'; category: string[]; type: string[] } {
  const refused = event.outcome === 'rejected';
  switch (event.type) {
    case 'export':
    case 'media-write':
      return { kind: 'event', category: ['file'], type: ['creation'] };
    case 'import':
      return { kind: 'event', category: ['file'], type: ['creation', refused ? 'denied' : 'allowed'] };
    case 'verify':
    case 'media-readback':
      return { kind: 'event', category: ['file'], type: ['access', refused ? 'denied' : 'allowed'] };
    case 'key-generate':
    case 'key-trust':
    case 'key-untrust':
    case 'key-revoke':
    case 'key-backup':
      return { kind: 'event', category: ['iam', 'configuration'], type: ['change'] };
    case 'settings-change':
      return { kind: 'event', category: ['configuration'], type: ['change'] };
    case 'quarantine-release':
      return { kind: 'event', category: ['file'], type: ['change', 'allowed'] };
    case 'quarantine-purge':
      return { kind: 'event', category: ['file'], type: ['deletion'] };
    case 'feed-import':
      return { kind: 'event', category: ['configuration', 'package'], type: ['installation'] };
    case 'channel-alarm':
      return { kind: 'alert', category: ['network', 'intrusion_detection'], type: ['indicator'] };
    case 'heartbeat':
      return { kind: 'event', category: ['network'], type: ['info'] };
    case 'watch-start':
      return { kind: 'event', category: ['process'], type: ['start'] };
    case 'watch-stop':
      return { kind: 'event', category: ['process'], type: ['end'] };
    default:
      return { kind: 'event', category: ['file'], type: ['info'] };
  }
}

function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null && value !== undefined)) as Partial<T>;
}

/** The ECS document (an object; formatEcsLine writes it). */
export function toEcsDocument(event: AuditEvent): Record<string, unknown> {
  const { kind, category, type } = categorise(event);
  const channel = channelOf(event.details);
  const bundle = compact({
    id: event.bundleUuid,
    name: event.bundleName,
    tagmanifest_sha256: event.tagmanifestSha256,
    signers: event.signers.length > 0 ? event.signers : null,
    files: event.files,
    bytes: event.bytes,
  });
  return {
    '@timestamp': event.at,
    ecs: { version: ECS_VERSION },
    message: summaryLine(event),
    event: compact({
      kind,
      category,
      type,
      action: event.type,
      outcome: outcomeOf(event.outcome),
      sequence: event.seq,
      hash: event.hash,
      code: event.errorCode ?? event.problemCodes[0] ?? null,
      dataset: 'airlock.audit',
      module: 'airlock',
      provider: 'airlock',
    }),
    host: { name: event.station },
    user: { name: event.operator },
    file: event.bundleName === null ? undefined : { name: event.bundleName },
    related: compact({ hash: event.tagmanifestSha256 === null ? null : [event.tagmanifestSha256], user: [event.operator] }),
    labels: compact({
      airlock_seq: String(event.seq),
      airlock_outcome: event.outcome,
      airlock_bundle_id: event.bundleUuid,
      airlock_channel: channel.name,
    }),
    airlock: compact({
      seq: event.seq,
      prev_hash: event.prevHash,
      outcome: event.outcome,
      bundle: Object.keys(bundle).length > 0 ? bundle : null,
      signers: event.signers,
      problems: event.problemCodes,
      error_code: event.errorCode,
      channel:
        channel.name === null && channel.findings.length === 0 ? null : compact({ name: channel.name, sequence: channel.sequence, findings: channel.findings }),
      details: event.details,
    }),
  };
}

/**
 * One line (with its `\n`): the document as JSON, with every character the shared rule calls unsafe
 * (controls, bidi, zero-width, line separators: shared/display-text.ts) as a `\u` escape.
 */
export function formatEcsLine(event: AuditEvent): string {
  return `${jsonText(toEcsDocument(event))}\n`;
}

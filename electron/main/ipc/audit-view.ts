/**
 * An audit event as the audit view shows it: the stored columns the table needs, plus a
 * one-line subject drawn from the event's details (details themselves can be large: an export
 * records its whole selection, so they stay in main and in the exports).
 */
import type { AuditEventView } from '../../../shared/ipc.js';
import { CONFIG_FIELDS, LANGUAGE_FIELD, POLICY_FIELDS, STAGING_FOLDER_FIELD, type SettingChange } from '../../../shared/settings.js';
import type { AuditEvent } from '../../core/index.js';

const SUBJECT_MAX = 500;
const FIELDS: readonly string[] = [...CONFIG_FIELDS, ...POLICY_FIELDS, LANGUAGE_FIELD, STAGING_FOLDER_FIELD];

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function clip(value: string | null): string | null {
  return value !== null && value.length > SUBJECT_MAX ? `${value.slice(0, SUBJECT_MAX - 1)}…` : value;
}

function changesOf(details: Record<string, unknown>): SettingChange[] {
  const raw = details['changes'];
  if (!Array.isArray(raw)) return [];
  const scalar = (v: unknown): string | number | null => (typeof v === 'string' || typeof v === 'number' ? v : null);
  return raw
    .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && FIELDS.includes(String((c as Record<string, unknown>)['field'])))
    .map((c) => ({ field: c['field'] as SettingChange['field'], from: scalar(c['from']), to: scalar(c['to']) }));
}

const show = (value: string | number | null): string => (value === null ? '(default)' : String(value));

/** What the event was about, in one line. */
function subjectOf(event: AuditEvent, changes: SettingChange[]): string | null {
  const d = event.details;
  if (event.type === 'settings-change') {
    if (changes.length > 0) return changes.map((c) => `${c.field}: ${show(c.from)} → ${show(c.to)}`).join('; ');
    return 'settings not changed';
  }
  if (event.type === 'import') {
    const to = text(d['destination']) ?? text(d['destDir']);
    const from = text(d['bundlePath']);
    return from && to ? `${from} → ${to}` : (from ?? to);
  }
  const userIds = Array.isArray(d['userIds']) ? d['userIds'].filter((u): u is string => typeof u === 'string').join(', ') : '';
  if (event.type.startsWith('key-')) {
    const label = text(d['label']);
    return [userIds || null, label ? `[${label}]` : null, text(d['file'])].filter((x) => x !== null).join(' ') || null;
  }
  return text(d['bundlePath']) ?? text(d['outDir']) ?? text(d['stagedDir']) ?? text(d['dir']) ?? text(d['target']) ?? text(d['label']) ?? text(d['file']);
}

export function auditEventView(event: AuditEvent): AuditEventView {
  const changes = event.type === 'settings-change' ? changesOf(event.details) : [];
  return {
    seq: event.seq,
    at: event.at,
    type: event.type,
    outcome: event.outcome,
    operator: event.operator,
    station: event.station,
    bundleName: event.bundleName,
    bundleUuid: event.bundleUuid,
    signers: event.signers,
    problemCodes: event.problemCodes,
    errorCode: event.errorCode,
    files: event.files,
    bytes: event.bytes,
    subject: clip(subjectOf(event, changes)),
    message: clip(text(event.details['message'])),
    changes,
  };
}

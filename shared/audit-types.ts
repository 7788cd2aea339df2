/** What the audit log records: shared so the CLI's filters and the app's audit view offer exactly these. */
export const AUDIT_EVENT_TYPES = [
  'export',
  'verify',
  'import',
  'export-prepare',
  'export-approve',
  /** A staged two-person export was discarded (`airlock export --discard-staged`): details name its folder. */
  'export-discard',
  'key-generate',
  'key-trust',
  'key-untrust',
  'key-revoke',
  'key-backup',
  'media-write',
  'media-readback',
  /** config.json or policy.json changed through Airlock: details.changes lists each field, old -> new. */
  'settings-change',
  /** An operator released a quarantined bundle (details: id, reason, approvers, destination). */
  'quarantine-release',
  /** Quarantined bundles were deleted (details: ids). */
  'quarantine-purge',
  /** A signature-database feed bundle was installed for the scanner (details: files, database version before and after). */
  'feed-import',
  /** A heartbeat bundle was made (details.direction 'sent') or received (details.direction 'received'); details: channel, sequence. */
  'heartbeat',
  /** Nothing arrived on a channel for longer than the policy's heartbeat interval (details: signer, channel, lastReceivedAt, intervalSeconds). */
  'channel-alarm',
  /** `airlock watch` started or stopped on an inbox (details: inbox, dest, pid; stop: counts, reason). */
  'watch-start',
  'watch-stop',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const AUDIT_OUTCOMES = ['ok', 'rejected', 'failed', 'cancelled'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

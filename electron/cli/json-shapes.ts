/**
 * What `--json` prints for each command, shown at the end of its --help (docs/cli.md has the
 * full descriptions). Commands whose output is the data itself take no --json.
 */
const VERIFY_SHAPE =
  '{ ok, bundle: { name, path, uuid, station, operator, sequence, created, files, bytes, tagmanifestSha256 }, images?: [ { kind, source, repository, tag, digest, mediaType, size, platforms: [ { os, architecture, variant?, digest } ], referrers } ], signers: [ { fingerprint, userIds, label, role, signedAt } ], problems: [ { code, path?, message, members?, unknownSigners?: [ { fingerprint, keyId, claimedUserId } ] } ], files, policy, parts?, channel?: { stamp: { channel, sequence, previousTagManifestSha256, heartbeat }, signer, signers, findings: [ { code, signer, channel, expected, received, decision, message } ], missing? }, inspection?: { enabled, scanner, files, members, bytesScanned, refused, warned, items: [ { path, members, size, detectedType, extension, macros, scan, scanDetail, findings, warnings } ], omitted, complete } }';
const STAGED_SHAPE = '{ stagedDir, name, uuid, files: [ { path, sha256 } ], totalBytes, signatures: [ { fingerprint, userIds, trustedLabel, role } ] }';
const KEY_SHAPE = '{ fingerprint, userIds, algorithm, created, expires }';
const QUARANTINE_ENTRY_SHAPE =
  '{ id, quarantinedAt, bundleName, tagmanifestSha256, bytes, codes, signers, status: held|released, releases: [ { operator, reason, at, fingerprint } ], releasedTo }';

export const JSON_SHAPES: Readonly<Record<string, string>> = {
  'keys generate': `{ ok: true, key: ${KEY_SHAPE} }`,
  'keys trust':
    '{ ok: true, alreadyTrusted, sha1Subkeys: [ keyId ], signer: { fingerprint, label, role, userIds, algorithm, addedAt, revokedAt?, retiredAt? } }',
  'keys revoke-import': '{ ok: true, fingerprint }',
  'keys rotate': `{ ok: true, retired: <old fingerprint>, current: ${KEY_SHAPE} }`,
  'keys backup': '{ ok: true, file }',
  'keys restore': `{ ok: true, key: ${KEY_SHAPE} }`,
  'keys untrust': '{ ok: true, fingerprint }',
  'keys list':
    '{ ok: true, stationKey: true|false, trusted: [ { fingerprint, label, role, userIds, algorithm, addedAt, revokedAt?, retiredAt?, refusal?: { code, detail, next }, warning?: { code, detail, next } } ] }',
  export:
    '{ ok: true, bundle: { bundlePath, name, uuid, sequence, files, bytes, bundleBytes, tagmanifestSha256, signers, warnings, auditEvent, checkpoint, receipt, media?, channel?: { channel, sequence, previousTagManifestSha256, heartbeat } }, ejected? }; ' +
    `--prepare: { ok: true, staged: ${STAGED_SHAPE} }; --list-staged: { ok: true, staged: [ { name, dir, state, reason, files, bytes, signatures, createdAt, signers, uuid, sequence } ] }; --discard-staged: { ok: true, discarded: { name, dir } }`,
  approve: `{ ok: true, staged: ${STAGED_SHAPE} }`,
  heartbeat:
    '{ ok: true, bundle: { bundlePath, name, uuid, sequence, files, bytes, bundleBytes, tagmanifestSha256, signers, warnings, auditEvent, checkpoint, receipt, channel: { channel, sequence, previousTagManifestSha256, heartbeat } } }',
  channels:
    '{ ok: true, channels: [ { signer, channel, lastSequence, lastTagManifestSha256, lastReceivedAt, lastHeartbeatAt, missing, heartbeatIntervalSeconds, alarm: { signer, channel, lastReceivedAt, intervalSeconds, overdueSeconds, checkedAt } | null } ] }',
  verify: VERIFY_SHAPE,
  import: `the verify object plus { destination, warnings, replayOf, auditEvent, checkpoint, receipt: { json, signature, html, pdf, pdfSignature } | null, quarantine?: { id, path }, heartbeat? }: ${VERIFY_SHAPE}`,
  'audit list':
    '{ ok: true, events: [ { seq, at, type, outcome, operator, station, bundleUuid, bundleName, tagmanifestSha256, signers, problemCodes, errorCode, files, bytes, details, filesDigest, prevHash, hash } ] }',
  'audit verify': '{ ok, events, checkpoints, lastCheckpointSeq, firstBroken: { seq, reason } | null, notes: [...] }',
  'audit checkpoint': '{ ok: true, checkpoint: { seq, hash, at, fingerprint, signature } | null }',
  'audit forward':
    '{ ok, busy, configured, sinks: [ { kind: syslog|jsonLines, target, deliveredSeq, headSeq, backlog, lastDeliveredAt, lastAttemptAt, lastError } ] }',
  'policy check':
    '{ ok, file, exists, inspect: <resolved inspect section> | null, scanner: { kind, address, reachable, engineVersion, databaseVersion, databaseDate, databaseAgeDays, databaseSource, error } | null, problems, warnings }',
  'media list': '{ ok: true, media: [ { id, device, disk, label, filesystem, size, free, mountPoint, vendor, model, serial, readOnly, removable, source } ] }',
  'media verify':
    '{ ok, dir, medium, readBack: { method, bypassesCache, detail }, items: [ { kind, file, ok, reassembled, result } ], problems, warnings, seconds }',
  'media eject': '{ ok: true, medium, actions: [...], unmounted, poweredOff }',
  'quarantine list': `{ ok: true, entries: [ ${QUARANTINE_ENTRY_SHAPE} ] }`,
  'quarantine show': `{ ok: true, entry: ${QUARANTINE_ENTRY_SHAPE}, path, report: <the verify object>, files: [ { name, bytes } ], approvals: { given, required }, releasingTo }`,
  'quarantine release': `{ ok, entry: ${QUARANTINE_ENTRY_SHAPE}, approvals: { given, required }, import: <the import object plus overridden: [ { code, path, members, message } ]> | null, auditEvent }`,
  'quarantine purge': '{ ok: true, purged: [ { id, bundleName, status } ], auditEvent }',
  'feed import': `the verify object plus { installed: [ { name, version, signatures, builtAt } ], superseded, databaseDir, before, after: { version, date, ageDays, source } | null, reloaded, warnings, auditEvent }: ${VERIFY_SHAPE}`,
  watch:
    '{ ok: true, status: <the final status, as --status> }; --status: { ok: true, watchers: [ { state: running|stopped|dead, pid, inbox, dest, startedAt, updatedAt, current, lastBundle, counts: { accepted, quarantined, rejected, heartbeats, failed, queued, arriving }, recent: [ { name, outcome, arrivedAt, finishedAt, bundleUuid, codes, movedTo, auditSeq } ], gaps, alarms, waiting: [ { name, missing, incomplete } ], importWaits: [ { name, other: { id, destination, pid, startedAt } | null, since, tries, nextTryAt } ] } ] }',
};

/** Commands whose stdout is the data itself (a key, the log): --json is a usage error there. */
export const NO_JSON_COMMANDS: ReadonlySet<string> = new Set(['keys export-public', 'audit export']);

export const JSON_ERROR_SHAPE = '{ ok: false, error: { code, message, detail?, path?, data?, next } }';

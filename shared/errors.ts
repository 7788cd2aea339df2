/**
 * Operational error codes: why an operation could not run (as opposed to a
 * bundle being rejected, see problems.ts). Each maps to one human message and,
 * through its kind, to one CLI exit code.
 */
export const ERROR_CODES = {
  USAGE: { kind: 'usage', message: 'The command was not used correctly.' },
  INVALID_NAME: {
    kind: 'usage',
    message: 'The bundle name may hold only letters, digits, dot, dash and underscore (1-100 characters), and may not start with a dot.',
  },
  PASSPHRASE_REQUIRED: { kind: 'usage', message: 'A passphrase is needed, and none was given.' },
  NOT_FOUND: { kind: 'operational', message: 'A file or folder Airlock was given does not exist.' },
  NOT_A_FOLDER: { kind: 'operational', message: 'A path that must be a folder is a file (or another non-folder).' },
  PERMISSION_DENIED: { kind: 'operational', message: 'Permission denied: this user may not read or write a file or folder Airlock needs.' },
  IO_ERROR: { kind: 'operational', message: 'Reading or writing a file failed.' },
  PATH_TOO_LONG: { kind: 'operational', message: 'A path is too long for the file system.' },
  NOT_A_FILE: {
    kind: 'operational',
    message: 'A path Airlock was given to read is not a plain file but a FIFO (named pipe), socket or device; Airlock does not read from those.',
  },
  NO_SPACE: { kind: 'operational', message: 'There is not enough free space at the destination.' },
  OUTPUT_EXISTS: { kind: 'operational', message: 'The destination already holds a file of that name; Airlock never overwrites.' },
  SOURCE_UNSUPPORTED_TYPE: {
    kind: 'operational',
    message: 'The selection holds something that is not a plain file or folder (a symbolic link, device, socket or FIFO).',
  },
  SOURCE_NAME_CONFLICT: {
    kind: 'operational',
    message: 'Two selected files would have the same name in the bundle (exactly, or after Unicode normalisation or case folding).',
  },
  SOURCE_NAME_UNSAFE: { kind: 'operational', message: 'A selected file has a name the bundle format cannot carry safely.' },
  SOURCE_CHANGED: { kind: 'operational', message: 'A source file changed while the bundle was being written; the bundle was discarded.' },
  SOURCE_EMPTY: { kind: 'operational', message: 'The selection holds no files.' },
  NO_STATION_KEY: { kind: 'operational', message: 'This station has no signing key yet.' },
  STATION_KEY_EXISTS: { kind: 'operational', message: 'This station already has a signing key; Airlock will not replace it.' },
  PASSPHRASE_WRONG: { kind: 'operational', message: 'The passphrase does not unlock the station key.' },
  SIGNING_KEY_UNUSABLE: { kind: 'operational', message: 'The signing key cannot sign: it has expired or been revoked, or its file is damaged.' },
  KEY_INVALID: { kind: 'operational', message: 'The file is not a usable OpenPGP public key.' },
  KEY_SHA1_BINDING: {
    kind: 'operational',
    message:
      'The key’s own signatures (its self-signature, or the binding of its signing subkey) are made with SHA-1, which chosen-prefix collisions have broken: such a binding can be forged. Nothing was trusted.',
  },
  KEY_V6_UNSUPPORTED: {
    kind: 'operational',
    message:
      'The key is an OpenPGP v6 key (RFC 9580): GnuPG 2.2 and 2.4 cannot check its signatures, and Airlock bundles must be checkable with GnuPG. Nothing was trusted.',
  },
  FINGERPRINT_MISMATCH: {
    kind: 'operational',
    message: 'The key file does not have the fingerprint you expected: it may have been swapped. Nothing was trusted.',
  },
  KEY_NOT_FOUND: { kind: 'operational', message: 'No trusted key has that fingerprint.' },
  HOME_INVALID: { kind: 'operational', message: 'The Airlock home directory cannot be used.' },
  CONFIG_INVALID: { kind: 'operational', message: 'A station configuration file is malformed.' },
  SETTINGS_INVALID: { kind: 'usage', message: 'A setting is out of range or malformed; nothing was saved.' },
  BUNDLE_UNREADABLE: { kind: 'operational', message: 'The bundle file cannot be opened.' },
  BUNDLE_IS_FOLDER: { kind: 'operational', message: 'The path given as a bundle is a folder, not a bundle file.' },
  BUNDLE_CHANGED: {
    kind: 'operational',
    message: 'The bundle changed after it was verified: bytes read from it again to push an image are not the verified ones; none of them was stored.',
  },
  NOT_A_BUNDLE: { kind: 'operational', message: 'The file is not an Airlock bundle.' },
  STAGED_INVALID: { kind: 'operational', message: 'The staged export is incomplete or was changed after it was prepared; it cannot be approved or finished.' },
  STAGED_FINISHED: {
    kind: 'operational',
    message: 'This staged export is being finished by another command now, or its bundle was written already: one staged export makes one bundle.',
  },
  MEDIA_NOT_FOUND: { kind: 'operational', message: 'No removable medium matches that name.' },
  MEDIA_AMBIGUOUS: { kind: 'usage', message: 'Several removable media match that name.' },
  MEDIA_NOT_MOUNTED: { kind: 'operational', message: 'The medium is not mounted, so Airlock cannot write to it or read it.' },
  MEDIA_READONLY: { kind: 'operational', message: 'The medium is read-only (write-protect switch, or mounted read-only).' },
  MEDIA_TOO_SMALL: { kind: 'operational', message: 'The bundle does not fit on the media given.' },
  MEDIA_REMOVED: { kind: 'operational', message: 'The medium was removed or stopped responding during the write.' },
  MEDIA_EJECT_FAILED: { kind: 'operational', message: 'The medium could not be ejected.' },
  MEDIA_IS_SYSTEM_DISK: {
    kind: 'operational',
    message:
      'The medium named is on a system disk (the one holding the operating system, swap, the station home or Airlock itself): Airlock never writes there.',
  },
  MEDIA_HOLDS_SOURCES: {
    kind: 'operational',
    message: 'The medium named is on the disk that holds files selected for this export: Airlock never writes a bundle onto the disk it reads from.',
  },
  MEDIA_READBACK_FAILED: { kind: 'operational', message: 'Reading the medium back did not return the bytes that were written: do not use this medium.' },
  MEDIA_NOT_LISTED: {
    kind: 'operational',
    message: 'The medium chosen is not among the media Airlock detects now: it was removed or unmounted, or it was never offered.',
  },
  AUDIT_UNAVAILABLE: {
    kind: 'operational',
    message: 'The audit log could not record this operation. The operation itself may have completed: check before repeating it.',
  },
  SENDER_REFUSED: { kind: 'usage', message: 'Refused: the request did not come from the Airlock window itself (another page or an embedded frame sent it).' },
  JOB_NOT_FOUND: { kind: 'operational', message: 'There is no such job: it never existed, or it finished long enough ago to be forgotten.' },
  CANCELLED: { kind: 'operational', message: 'The operation was cancelled; nothing was left half-written.' },
  INTERRUPTED: {
    kind: 'operational',
    message: 'The operation was interrupted (the process was killed, crashed or lost power) before it finished; a later start recorded it as failed.',
  },
  IMAGE_SOURCE_INVALID: { kind: 'usage', message: 'An image or chart reference is malformed or names a transport Airlock does not read.' },
  IMAGE_NOT_FOUND: { kind: 'operational', message: 'The image or chart named was not found where the reference points.' },
  IMAGE_SOURCE_CORRUPT: { kind: 'operational', message: 'The image source is damaged: a blob is missing or does not match its digest.' },
  REGISTRY_UNREACHABLE: { kind: 'operational', message: 'The container registry could not be reached, or it dropped the connection.' },
  REGISTRY_AUTH_FAILED: { kind: 'operational', message: 'The container registry refused the credentials, or gave no token for them.' },
  REGISTRY_REFUSED: { kind: 'operational', message: 'The container registry refused the request.' },
  REGISTRY_DIGEST_MISMATCH: {
    kind: 'operational',
    message: 'The container registry reports a digest other than the one in the signed bundle; the image is not what was approved.',
  },
  REGISTRY_BLOB_ABSENT: {
    kind: 'operational',
    message: 'A blob the bundle was exported without (the sender was told this registry holds it) is not in the registry; nothing was pushed.',
  },
  RECEIPT_INVALID: { kind: 'operational', message: 'The receipt file is malformed, unsigned, or not signed by a trusted key.' },
  RECEIPT_NOT_WRITTEN: {
    kind: 'operational',
    message: 'The receipt could not be written. The transfer is complete and recorded: the data is in place and the audit event stands.',
  },
  RECEIPT_PDF_FAILED: {
    kind: 'operational',
    message: 'The PDF copy of the receipt could not be made. The transfer is complete and recorded: the JSON receipt, its signature and the audit event stand.',
  },
  QUARANTINE_NOT_FOUND: { kind: 'operational', message: 'No quarantined bundle has that id.' },
  QUARANTINE_NOT_HELD: { kind: 'operational', message: 'That quarantined bundle is no longer held: it was released or purged already.' },
  QUARANTINE_BUSY: {
    kind: 'operational',
    message: 'Another operator is recording a decision about this quarantined bundle, or releasing it, at this moment; nothing was recorded for you.',
  },
  RELEASE_APPROVAL_INVALID: {
    kind: 'usage',
    message: 'The release was not approved as the station’s policy requires (a reason, and a second, different operator where two persons are required).',
  },
  SCANNER_ERROR: { kind: 'operational', message: 'The malware scanner could not be reached, or it refused the command.' },
  FEED_INVALID: {
    kind: 'operational',
    message:
      'The signature-database feed is malformed, not signed by a key with the feeds role, or failed the database check; the scanner’s database was not changed.',
  },
  CHANNEL_NAME_INVALID: {
    kind: 'usage',
    message: 'A channel name may hold only lower-case letters, digits, dot, dash and underscore (1-64 characters), starting with a letter or digit.',
  },
  CHANNEL_BUSY: { kind: 'operational', message: 'Another export on this channel is being written now; exports on one channel go one at a time.' },
  HOME_FILE_BUSY: {
    kind: 'operational',
    message: 'Another command has been changing this station’s settings (trusted keys, config.json or policy.json) for too long; nothing was changed.',
  },
  CHANNEL_STAMP_STALE: {
    kind: 'operational',
    message: 'The staged export’s channel sequence number was taken by another bundle published on the channel since it was prepared; nothing was written.',
  },
  WATCH_INBOX_INVALID: {
    kind: 'usage',
    message: 'The inbox must be an existing folder, apart from the destination and the station home (neither inside the other).',
  },
  WATCH_ALREADY_RUNNING: { kind: 'operational', message: 'A watcher of this station already runs on this inbox.' },
  FORWARD_UNAVAILABLE: {
    kind: 'operational',
    message: 'An audit forwarding sink (syslog or the JSON-lines file) could not take the events; they stay in the outbox and are sent later.',
  },
  RECEIPT_DIR_UNUSABLE: {
    kind: 'operational',
    message:
      'The receipt could not be written to that folder (it is a file, not writable, or on the medium being verified). The verification itself stands and is recorded in the audit log.',
  },
  INTERNAL: { kind: 'operational', message: 'An unexpected internal error occurred.' },
} as const satisfies Record<string, { kind: 'usage' | 'operational'; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Facts about one error that a front end may act on (e.g. which option or form field to point
 * at); flat and JSON-safe so they cross IPC and --json as they are. Never needed to read the
 * message, which stands on its own.
 */
export type ErrorData = Readonly<Record<string, string | number | boolean | null>>;

/** An error as data: `message` is the code's message followed by `detail`, kept apart here too. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** What this occurrence adds to the code's message (absent when it adds nothing). */
  detail?: string | undefined;
  path?: string | undefined;
  data?: ErrorData | undefined;
}

export function errorMessage(code: ErrorCode): string {
  return ERROR_CODES[code].message;
}

import { ERROR_ACTIONS } from '../../shared/error-actions.js';
import type { ErrorCode, ErrorData } from '../../shared/errors.js';
import { PROBLEM_TEXT, type ProblemCode } from '../../shared/problems.js';

/**
 * The next step for an error, as a terminal user takes it. The shared action table speaks to
 * app and CLI alike and names no flag; where the CLI's way differs (a flag or a command instead
 * of a form), it is said here. A hint may depend on the error's data (`when`: every key equal),
 * and may name a data value as {key}; the most specific hint whose data is all there wins.
 * Every flag and command named here exists in the commander definitions (a test derives them).
 */
export interface CliHint {
  readonly code: ErrorCode;
  readonly when?: Readonly<Record<string, string>>;
  readonly next: string;
}

export const CLI_HINTS: readonly CliHint[] = [
  { code: 'USAGE', next: 'Run the command with --help to see what it takes, then try again.' },
  { code: 'USAGE', next: 'Run "{command} --help" to see what it takes, then try again.' },
  {
    code: 'USAGE',
    when: { reason: 'signer-format' },
    next: 'Give --signer as gpg:FINGERPRINT (the 40 hex digits gpg --list-secret-keys shows), then try again.',
  },
  {
    code: 'USAGE',
    when: { reason: 'push-needs-dest' },
    next: 'Give --dest DIR for the files as well (the images still go to the --push-to registry), then run the import again.',
  },
  { code: 'USAGE', when: { reason: 'medium-unnamed' }, next: 'Name the medium by the device, label or mount point airlock media list shows.' },
  {
    code: 'INVALID_NAME',
    next: 'Give --name with letters, digits, dot, dash and underscore only (1-100, not starting with a dot), or leave --name out for the default.',
  },
  { code: 'PASSPHRASE_REQUIRED', next: 'Pass --passphrase-file FILE (its first line is the passphrase), or run the command in a terminal to be asked.' },
  {
    code: 'PASSPHRASE_WRONG',
    next: 'Check the passphrase (the first line of --passphrase-file, else type it again): keyboard layout, Caps Lock. Three tries on a terminal.',
  },
  {
    code: 'RECEIPT_DIR_UNUSABLE',
    next: 'Give --receipt-dir DIR, a writable folder on this station (never on the medium), or check the station home’s receipts/ folder, then verify the medium again for its receipt.',
  },
  { code: 'NO_STATION_KEY', next: 'Create it: airlock keys generate --name "Station name" (or restore a backup: airlock keys restore FILE).' },
  {
    code: 'SIGNING_KEY_UNUSABLE',
    next: 'Nothing can be signed with this key. Rotate to a new station key (airlock keys rotate) or restore a good one from its backup (airlock keys restore FILE), and give receiving stations the new public key.',
  },
  {
    code: 'KEY_INVALID',
    when: { reason: 'private-key' },
    next: 'Ask the signer for their public key (airlock keys export-public on their station, or gpg --export --armor), then trust that file.',
  },
  { code: 'KEY_NOT_FOUND', next: 'List the trusted signers (airlock keys list) and copy the fingerprint from there.' },
  {
    code: 'STAGED_INVALID',
    next: 'List the staged exports (airlock export --list-staged), discard this one (airlock export --discard-staged NAME) and prepare it again.',
  },
  {
    code: 'STAGED_INVALID',
    when: { reason: 'approved-meanwhile' },
    next: 'Finish it again (nothing was written): the approval recorded meanwhile is then in the bundle.',
  },
  {
    code: 'STAGED_FINISHED',
    next: 'Find its bundle (airlock audit list --type export); if it was written, discard the staged export (airlock export --discard-staged NAME); if a finish is still running, let it end.',
  },
  { code: 'SETTINGS_INVALID', next: 'Correct the value named in the message and try again.' },
  {
    code: 'WATCH_ALREADY_RUNNING',
    next: 'See it with airlock watch --status; stop it (systemctl stop, or kill -TERM with the pid it shows) before starting another on the same inbox.',
  },
  { code: 'NOT_FOUND', next: 'Check the path for typing mistakes (ls shows what is there) and that removable media are still inserted, then try again.' },
  { code: 'NOT_FOUND', when: { reason: 'no-staged-export' }, next: 'List the staged exports (airlock export --list-staged) and name one shown there.' },
  {
    code: 'HOME_INVALID',
    when: { reason: 'home-place' },
    next: 'Choose a folder on a writable disk for the station and name it with --home DIR (or AIRLOCK_HOME), or leave both out for the default home.',
  },
  {
    code: 'PERMISSION_DENIED',
    when: { reason: 'home-owner' },
    next: 'Run Airlock as the user who owns the station home, or give this user a station of its own with --home DIR; ask your administrator if this user should use that station.',
  },
  {
    code: 'BUNDLE_IS_FOLDER',
    next: 'Name the NAME.airlock.tar file inside the folder, or check every bundle in it (a medium, a transfer folder) with airlock media verify FOLDER.',
  },
  {
    code: 'BUNDLE_IS_FOLDER',
    next: 'Name the NAME.airlock.tar file inside the folder, or check every bundle in it (a medium, a transfer folder): airlock media verify {folder}',
  },
  { code: 'QUARANTINE_NOT_FOUND', next: 'List what the quarantine holds (airlock quarantine list) and use an id shown there.' },
  {
    code: 'RELEASE_APPROVAL_INVALID',
    next: 'Give --reason TEXT. Where two persons are required, each releases under their own key (--key FILE or --signer gpg:FINGERPRINT, or the station key), to the same --dest.',
  },
  { code: 'QUARANTINE_NOT_HELD', next: 'See airlock quarantine show ID, and airlock audit list --type quarantine-release for who released it.' },
  { code: 'QUARANTINE_BUSY', next: 'Look again with airlock quarantine show ID (approvals given, a release under way), then run your release again.' },
  { code: 'MEDIA_NOT_FOUND', next: 'Insert the medium and check airlock media list; name it by the device, label or mount point shown there.' },
  { code: 'MEDIA_IS_SYSTEM_DISK', next: 'Insert a removable medium and name one that airlock media list shows.' },
  { code: 'MEDIA_HOLDS_SOURCES', next: 'Name another medium (airlock media list), or copy the files off this one first and export the copies.' },
  { code: 'MEDIA_AMBIGUOUS', next: 'Name the medium by its device or mount point (shown by airlock media list) instead of its label.' },
  {
    code: 'IMAGE_SOURCE_INVALID',
    next: 'Give --image as oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE or docker://HOST[:PORT]/REPO:TAG, then try again.',
  },
  {
    code: 'IMAGE_SOURCE_INVALID',
    when: { reason: 'platform' },
    next: 'Give --platform as OS/ARCH or OS/ARCH/VARIANT (linux/amd64, linux/arm64/v8), then try again.',
  },
  {
    code: 'IMAGE_SOURCE_INVALID',
    next: 'Correct line {line} of the --images-from file ({reference}): one reference per line, # for comments; then try again.',
  },
  {
    code: 'IMAGE_NOT_FOUND',
    next: 'Check the path and tag (skopeo inspect oci:DIR:TAG, or cat DIR/index.json, shows what a layout holds), then run airlock export --image again.',
  },
  {
    code: 'RECEIPT_INVALID',
    next: 'Give --skip-blobs-in the import receipt .json exactly as the far station wrote it, with its .json.asc beside it; trust the far station key first (airlock keys trust FILE.asc).',
  },
  {
    code: 'MEDIA_TOO_SMALL',
    next: 'Use a larger medium, or spread the bundle over several: --to-media ID1,ID2,... (on a terminal Airlock asks for the next one).',
  },
];

/** Where the CLI's next step for a problem differs from the shared one (the override is a flag here). */
export const CLI_PROBLEM_HINTS: Readonly<Partial<Record<ProblemCode, string>>> = {
  REPLAY: 'Check the audit log; import it again only if you mean to, with --allow-replay (the override is recorded).',
};

const PLACEHOLDER = /\{(\w+)\}/gu;

/** The hint's text with its {key}s filled from data, or null when it does not apply to this data. */
function fill(hint: CliHint, data: ErrorData | undefined): string | null {
  for (const [key, value] of Object.entries(hint.when ?? {})) if (data?.[key] !== value) return null;
  let missing = false;
  const text = hint.next.replace(PLACEHOLDER, (_all, key: string) => {
    const value = data?.[key];
    if (typeof value !== 'string' && typeof value !== 'number') missing = true;
    return String(value);
  });
  return missing ? null : text;
}

/** How much of the error's data a hint relies on: conditions and placeholders. */
function specificity(hint: CliHint): number {
  return Object.keys(hint.when ?? {}).length + [...hint.next.matchAll(PLACEHOLDER)].length;
}

export function cliNextStep(error: { readonly code: ErrorCode; readonly data?: ErrorData | undefined }): string {
  let best: { text: string; rank: number } | null = null;
  for (const hint of CLI_HINTS) {
    if (hint.code !== error.code) continue;
    const text = fill(hint, error.data);
    if (text !== null && (best === null || specificity(hint) > best.rank)) best = { text, rank: specificity(hint) };
  }
  return best?.text ?? ERROR_ACTIONS[error.code];
}

export function cliProblemNextStep(code: ProblemCode): string {
  return CLI_PROBLEM_HINTS[code] ?? PROBLEM_TEXT[code].action;
}

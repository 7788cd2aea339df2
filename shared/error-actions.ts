/**
 * What an operator can do next about each operational error (shared/errors.ts holds the
 * message). problems.ts pairs every problem code with an action; this gives error codes the
 * same, so the app never shows a code without a next step. Typed over ErrorCode: adding a
 * code to errors.ts fails to compile until it has an action here (an action may land before
 * its code does). Worded for every front end, the app first: no CLI commands or flags here (a
 * test scans for them); the CLI says its own way in electron/cli/next-step.ts.
 */
import type { ErrorCode } from './errors.js';

export const ERROR_ACTIONS: { readonly [K in ErrorCode]: string } & Readonly<Record<string, string>> = {
  USAGE: 'Check what you entered and try again. If the app sent it, report it: the request did not match what Airlock expects.',
  INVALID_NAME: 'Choose a name with letters, digits, dot, dash and underscore only, or leave the name empty for the default.',
  PASSPHRASE_REQUIRED: 'Enter the station key passphrase.',
  NOT_FOUND: 'Check that the file or folder still exists and that removable media are still inserted, then choose it again.',
  NOT_A_FOLDER: 'Name a folder there (create it first if needed); a file of that name is in the way.',
  PERMISSION_DENIED:
    'Check the owner and permissions of the path named (ls -ld PATH): run Airlock as a user who may use it, or ask your administrator to grant access.',
  IO_ERROR: 'Check the media or disk (write protection, permissions, a loose cable) and try again.',
  NOT_A_FILE:
    'Name a plain file (ls -l PATH shows p for a FIFO, s for a socket, b or c for a device). To stream a bundle in, pipe its bytes to standard input instead of naming a path.',
  PATH_TOO_LONG: 'Choose a destination or source folder with a shorter path (or shorten deep folder names), then try again.',
  NO_SPACE: 'Free some space at the destination or choose another one, then try again.',
  OUTPUT_EXISTS: 'Choose another destination or bundle name, or move the existing file away yourself.',
  SOURCE_UNSUPPORTED_TYPE: 'Remove links, devices and other special files from the selection; bundles carry plain files only.',
  SOURCE_NAME_CONFLICT: 'Rename one of the two files, or send them in separate bundles.',
  SOURCE_NAME_UNSAFE: 'Rename the file so its name holds no control characters and is valid text, then select it again.',
  SOURCE_CHANGED: 'Wait until nothing is writing to the selected files, then export again.',
  SOURCE_EMPTY: 'Add at least one file to the selection.',
  NO_STATION_KEY: 'Create the station key first (Keys), or restore it from its backup.',
  STATION_KEY_EXISTS: 'Nothing to do: this station already has its key. Airlock never replaces it.',
  PASSPHRASE_WRONG: 'Enter the passphrase again; check the keyboard layout and Caps Lock.',
  SIGNING_KEY_UNUSABLE:
    'Nothing can be signed with this key. Rotate to a new station key or restore a good one from its backup, and give receiving stations the new public key.',
  KEY_INVALID: 'Ask the signer for their public key again (an armored .asc file holding one public key).',
  KEY_SHA1_BINDING:
    'Ask the key’s owner to re-sign the key with SHA-256 (the message gives the GnuPG commands) and to send the new public key, then trust that file.',
  KEY_V6_UNSUPPORTED:
    'Ask the signer for a v4 key (GnuPG 2.2 and 2.4 make one by default, and so does Airlock; the message gives the GnuPG command), then trust that public key.',
  FINGERPRINT_MISMATCH: 'Do not trust this file. Get the key again and compare its fingerprint with the signer out of band.',
  KEY_NOT_FOUND: 'Refresh the list of trusted signers; the key may already have been removed.',
  HOME_INVALID: 'Check that the Airlock data folder exists and that you may write to it; ask your administrator if not.',
  CONFIG_INVALID: 'Ask your security officer to repair the station configuration file named in the message.',
  SETTINGS_INVALID: 'Correct the value named in the message (the form says what each field accepts) and save again.',
  BUNDLE_UNREADABLE: 'Check that the media is inserted and the file is an Airlock bundle, then choose it again.',
  BUNDLE_CHANGED: "Copy the bundle to a folder nothing else writes to (on this station's own disk), then import it again: it is verified again from the start.",
  BUNDLE_IS_FOLDER: 'Choose the NAME.airlock.tar file inside the folder, or check every bundle on a medium with Verify a medium.',
  NOT_A_BUNDLE: 'Choose the NAME.airlock.tar file (or a part or volume index of a split bundle). Receipts, keys, zip files and text files are not bundles.',
  STAGED_INVALID: 'Prepare the export again and have it approved again.',
  STAGED_FINISHED: 'Look for its export in the audit log: if its bundle was written, discard the staged export; if a finish is still running, let it end.',
  MEDIA_NOT_FOUND: 'Insert the medium, check that it appears in the list of media, and choose it there.',
  MEDIA_AMBIGUOUS: 'Name the medium by its device or mount point (shown in the list of media) instead of its label.',
  MEDIA_NOT_MOUNTED: 'Mount the medium (open it in the file manager, or `udisksctl mount -b DEVICE`), then try again.',
  MEDIA_READONLY: 'Slide the write-protect switch off or remount the medium read-write, or choose another medium.',
  MEDIA_TOO_SMALL: 'Use a larger medium, or spread the bundle over several media.',
  MEDIA_REMOVED: 'Reinsert the medium and start again; Airlock removes what the interrupted write left on it the next time it writes there.',
  MEDIA_EJECT_FAILED: 'Close every program using the medium (file manager, a terminal in that folder), then eject it again.',
  MEDIA_IS_SYSTEM_DISK: 'Insert a removable medium (a USB stick or SD card) and choose it from the list of media.',
  MEDIA_HOLDS_SOURCES: 'Choose another medium, or copy the files to be exported off this one first and select the copies.',
  MEDIA_READBACK_FAILED:
    'Set this medium aside (it is faulty or was changed behind Airlock) and export again to another one. The files were left on it for inspection.',
  MEDIA_NOT_LISTED: 'Check that the medium is inserted and mounted, wait a moment for the list of media to refresh, and choose it again.',
  AUDIT_UNAVAILABLE: 'Check the result (the bundle or the imported folder) before repeating, and make sure no other program holds the station database.',
  SENDER_REFUSED: 'Close and reopen Airlock. If it happens again, report it to your security officer: something other than the Airlock window tried to use it.',
  JOB_NOT_FOUND: 'Check the job list for the job you meant; start the operation again if it is not there (the audit log records how it ended).',
  CANCELLED: 'Nothing to clean up. Start again when you are ready.',
  INTERRUPTED: 'Start the import or export again: nothing of it was kept (its audit event says what was found).',
  IMAGE_SOURCE_INVALID:
    'Write the reference as oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE or docker://HOST[:PORT]/REPO:TAG (or @sha256:DIGEST).',
  IMAGE_NOT_FOUND: 'Check the path, tag or digest (list the layout or registry to see what it holds) and try again.',
  IMAGE_SOURCE_CORRUPT: 'Copy the image again from where it came from (skopeo copy, docker save) and export again.',
  REGISTRY_UNREACHABLE: 'Check the registry address, that the registry runs, and the network path to it; then try again: a push resumes where it stopped.',
  REGISTRY_AUTH_FAILED: 'Check the user name and password or token for this registry, and that the user may push to the repository.',
  REGISTRY_REFUSED: 'Read the registry code in the message (DENIED, TAG_INVALID for an immutable tag ...); fix it at the registry, then push again.',
  REGISTRY_DIGEST_MISMATCH: 'Do not use the pushed image. Tell your security officer; check the registry for a proxy or rewrite rule that changes manifests.',
  REGISTRY_BLOB_ABSENT:
    'Ask the sender to export again without leaving out blobs, or with a current receipt from this station: the registry no longer holds what an older receipt said.',
  QUARANTINE_NOT_FOUND: 'List what the quarantine holds and use an id from that list.',
  QUARANTINE_NOT_HELD: 'Nothing to do: check the audit log for who released or purged it, and when.',
  QUARANTINE_BUSY: 'Wait a moment, look at the entry again (its approvals or its release may have changed), then decide.',
  RELEASE_APPROVAL_INVALID: 'Give the reason for the release; where the policy requires two persons, a second operator approves it under their own name.',
  SCANNER_ERROR: 'Check that the scanner is running and that the address in the station policy is right, then try again.',
  FEED_INVALID: 'Ask the sending side for a fresh feed bundle, signed by a key this station trusts with the feeds role.',
  RECEIPT_INVALID: 'Use the import receipt exactly as the receiving station wrote it (the .json with its .asc), signed by a key this station trusts.',
  RECEIPT_NOT_WRITTEN:
    'Do not repeat the transfer: free space in (or fix) the folder the receipt goes to; the audit log holds the record of the transfer meanwhile.',
  RECEIPT_PDF_FAILED:
    'File the signed JSON receipt (or print the HTML page beside it) instead. If it happens again, check that the installation is complete (its receipt fonts) and report it.',
  CHANNEL_NAME_INVALID: 'Use a short name such as "diode-a" or "feeds.daily".',
  CHANNEL_BUSY: 'Wait for the other export on the channel to finish, then try again.',
  HOME_FILE_BUSY: 'Check for a key or settings change that hangs (another window or script of this station), let it finish or stop it, then try again.',
  CHANNEL_STAMP_STALE: 'Discard the staged export and prepare it again: it then takes the channel’s next number.',
  WATCH_INBOX_INVALID: 'Give an inbox folder that exists and lies outside the destination and the station home.',
  WATCH_ALREADY_RUNNING: 'Check the running watcher’s status; stop it before starting another on the same inbox.',
  FORWARD_UNAVAILABLE: 'Check that the SIEM or syslog server runs and the address and certificates in config.json; the forwarding status shows the backlog.',
  RECEIPT_DIR_UNUSABLE:
    'Choose a writable folder on this station for the receipts (never on the medium), or check the station home’s receipts folder, and verify the medium again for its receipt.',
  INTERNAL: 'Try again. If it happens again, note the time and what you did, and report it.',
};

export function errorAction(code: ErrorCode): string {
  return ERROR_ACTIONS[code];
}

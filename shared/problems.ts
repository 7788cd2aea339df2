/**
 * Problem codes: why a bundle is rejected. Each code keeps one meaning forever
 * (docs/design.md §3): add new codes, never repurpose one. The message is what an
 * operator reads; the action says what to do next.
 */
export const PROBLEM_CODES = [
  'SIGNATURE_MISSING',
  'SIGNATURE_INVALID',
  'SIGNER_UNTRUSTED',
  'SIGNER_EXPIRED',
  'SIGNER_REVOKED',
  'SIGNER_SHA1_BINDING',
  'SIGNER_V6_KEY',
  'MANIFEST_INVALID',
  'CHECKSUM_MISMATCH',
  'FILE_MISSING',
  'FILE_UNLISTED',
  'UNSAFE_PATH',
  'UNSAFE_ENTRY_TYPE',
  'DUPLICATE_ENTRY',
  'LIMIT_EXCEEDED',
  'ARCHIVE_CORRUPT',
  'PAYLOAD_OXUM_MISMATCH',
  'POLICY_DENIED',
  'REPLAY',
  'PART_MISSING',
  'PART_MISMATCH',
  'PART_EXTRA',
  'INDEX_INVALID',
  'OCI_BLOB_MISSING',
  'OCI_DIGEST_MISMATCH',
  'OCI_GRAPH_INVALID',
  'TYPE_DENIED',
  'TYPE_MISMATCH',
  'MACRO_FOUND',
  'ARCHIVE_LIMIT',
  'ARCHIVE_ENCRYPTED',
  'ARCHIVE_UNREADABLE',
  'MALWARE_FOUND',
  'SCAN_FAILED',
  'SCANNER_UNAVAILABLE',
  'SCAN_DB_STALE',
  'CHANNEL_GAP',
  'CHANNEL_DUPLICATE',
  'CHANNEL_REORDERED',
  'CHANNEL_BACKLINK_BROKEN',
  'CHANNEL_STAMP_INVALID',
  'CHANNEL_FIRST_CONTACT',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

/**
 * Findings about what a bundle holds (content inspection, issue #16): the refusals the station
 * keeps in quarantine (docs/inspection.md). Not the scanner's absence or an old database (those
 * are about the station), nor authenticity or integrity (nothing proves who sent it).
 */
export const CONTENT_FINDING_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'TYPE_DENIED',
  'TYPE_MISMATCH',
  'MACRO_FOUND',
  'ARCHIVE_LIMIT',
  'ARCHIVE_ENCRYPTED',
  'ARCHIVE_UNREADABLE',
  'MALWARE_FOUND',
  'SCAN_FAILED',
]);

/** Every code content inspection raises: its findings, and the station's own fitness to inspect. */
export const INSPECTION_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([...CONTENT_FINDING_CODES, 'SCANNER_UNAVAILABLE', 'SCAN_DB_STALE']);

export interface Problem {
  code: ProblemCode;
  /** Path inside the bag (e.g. `data/a.txt`, `manifest-sha256.txt`) when the problem concerns one entry. */
  path?: string | undefined;
  /** Human message: the code's message, plus detail specific to this occurrence. */
  message: string;
  /** Content inspection: for a member of an archive inside `path`, the names from the outer archive inwards. Hostile text. */
  members?: string[] | undefined;
  /** SIGNER_UNTRUSTED only: the keys that signed, as the signature states them (unauthenticated). */
  unknownSigners?: UnknownSigner[];
  /**
   * A summary of entries beyond the report's cap (no `path`): how many more have this code. A
   * quarantine release overrides up to this many findings of the code (quarantine/finding-match.ts).
   */
  count?: number | undefined;
}

/**
 * A signature's key the station does not trust, as the signature itself states it. The user ID
 * comes from the Signer's User ID subpacket: anyone can write any name there, so it is what the
 * signature CLAIMS, shown escaped (control and bidi characters as \u escapes) and cut short.
 */
export interface UnknownSigner {
  /** Full fingerprint (issuer fingerprint subpacket), or null when the signature carries only a key ID. */
  fingerprint: string | null;
  keyId: string;
  claimedUserId: string | null;
}

interface ProblemText {
  message: string;
  action: string;
}

export const PROBLEM_TEXT: Record<ProblemCode, ProblemText> = {
  SIGNATURE_MISSING: {
    message: 'The bundle carries no signature over its tag manifest.',
    action: 'Do not import it. Ask the sender to export again with a signing key.',
  },
  SIGNATURE_INVALID: {
    message: 'A signature does not match the tag manifest: the bundle was altered after signing, or the signature is malformed.',
    action: 'Do not import it. Report the media to your security officer and ask for a fresh export.',
  },
  SIGNER_UNTRUSTED: {
    message: 'No signature comes from a key this station trusts.',
    action: 'Check the signer with the sender out of band; trust their key only after comparing its fingerprint.',
  },
  SIGNER_EXPIRED: {
    message: 'The signing key has expired; this station accepts no signature from it, whatever date the signature claims.',
    action: 'Ask the sender to sign with a current key.',
  },
  SIGNER_REVOKED: {
    message: 'The signing key has been revoked; this station accepts no signature from it.',
    action: 'Do not import it. Tell your security officer: a revoked key was used.',
  },
  SIGNER_SHA1_BINDING: {
    message:
      'A trusted signer’s key holds its signing key by SHA-1 signatures (its self-signature, or the binding of the subkey that signed), which chosen-prefix collisions have broken: a forged binding would look the same, so the signature does not count.',
    action:
      'Do not import it. Ask the key’s owner to re-sign the key with SHA-256 (the message gives the GnuPG commands), trust the new public key, and ask for a fresh export.',
  },
  SIGNER_V6_KEY: {
    message:
      'A trusted signer’s key is an OpenPGP v6 key: GnuPG 2.2 and 2.4 cannot check its signature, and Airlock bundles must be checkable with GnuPG, so the signature does not count.',
    action: 'Ask the sender to sign with a v4 key this station trusts (made by GnuPG 2.2 or 2.4, or an Airlock station key).',
  },
  MANIFEST_INVALID: {
    message: 'A tag file or manifest is malformed or breaks the bundle format.',
    action: 'Do not import it. Ask the sender to export again with a current Airlock or a BagIt 1.0 tool.',
  },
  CHECKSUM_MISMATCH: {
    message: 'A file’s contents do not match the checksum recorded when it was signed.',
    action: 'Do not import it. The media may be damaged or tampered with: re-copy it or ask for a fresh export.',
  },
  FILE_MISSING: {
    message: 'A file listed in the manifest is not in the bundle.',
    action: 'Do not import it. The bundle is incomplete: ask for a fresh export.',
  },
  FILE_UNLISTED: {
    message: 'The bundle holds a file that no signed manifest lists.',
    action: 'Do not import it. Something was added after signing.',
  },
  UNSAFE_PATH: {
    message: 'An entry’s path is unsafe: absolute, leaving the bundle, or holding characters the station refuses.',
    action: 'Do not import it. Report the bundle: it may be an attempt to write outside the destination.',
  },
  UNSAFE_ENTRY_TYPE: {
    message: 'The archive holds an entry that is not a plain file or directory (link, device, FIFO or sparse file).',
    action: 'Do not import it. Airlock bundles carry plain files only.',
  },
  DUPLICATE_ENTRY: {
    message: 'Two entries have the same name (exactly, or after Unicode normalisation or case folding).',
    action: 'Do not import it. One file could silently replace another.',
  },
  LIMIT_EXCEEDED: {
    message: 'The bundle exceeds a limit set by the station (entries, size, path depth or length).',
    action: 'Ask the sender to split the transfer, or have the security officer review the station policy.',
  },
  ARCHIVE_CORRUPT: {
    message: 'The archive is truncated or not a valid tar file.',
    action: 'Re-copy the bundle from the media; if it persists, ask for a fresh export.',
  },
  PAYLOAD_OXUM_MISMATCH: {
    message: 'The payload’s file count or byte total differs from the Payload-Oxum declared in bag-info.txt.',
    action: 'Do not import it. The bundle is incomplete or was altered.',
  },
  POLICY_DENIED: {
    message: 'The station’s policy does not allow this bundle.',
    action: 'Ask your security officer whether the policy should allow it.',
  },
  REPLAY: {
    message: 'This bundle was already imported on this station.',
    action: 'Check the audit log; import it again only if you mean to, with the explicit override.',
  },
  PART_MISSING: {
    message: 'A part of a split bundle is not where its signed volume index says it is.',
    action: 'Insert the medium that holds it (the index names its volume), or put every part in one folder, then try again.',
  },
  PART_MISMATCH: {
    message: 'A part of a split bundle differs from the size or SHA-256 its signed volume index records: it is damaged, stale or substituted.',
    action: 'Do not import it. Copy that part again from the sending station’s media, or ask for a fresh export.',
  },
  PART_EXTRA: {
    message: 'A file named as a part of this split bundle is not listed in its signed volume index.',
    action: 'Do not import it. Remove stray part files left by an earlier export, or ask the sender which parts belong to this bundle.',
  },
  INDEX_INVALID: {
    message: 'The volume index of a split bundle is missing, malformed, not signed by a trusted key, or contradicts the bundle.',
    action: 'Do not import it. The index and its .asc travel with the parts: ask the sender for a fresh export.',
  },
  OCI_BLOB_MISSING: {
    message:
      'An image in the bundle names a blob (layer, config or manifest) that the bundle does not hold, and that was not declared as already present at the receiving registry.',
    action: 'Do not import it. Ask the sender to export the image again; if it was exported against a receipt, check that receipt came from this station.',
  },
  OCI_DIGEST_MISMATCH: {
    message: 'An image blob does not have the size or digest its descriptor names.',
    action: 'Do not import it. The image was altered or built wrongly on the sending side: ask for a fresh export.',
  },
  OCI_GRAPH_INVALID: {
    message:
      'The image layout in the bundle is malformed: an unknown media type, a loop, a blob nothing refers to, or a descriptor file that disagrees with index.json.',
    action: 'Do not import it. Ask the sender to export the image again with Airlock; report the bundle if it came from Airlock.',
  },
  TYPE_DENIED: {
    message: 'A file’s type, as its content shows it, or its extension is one this station’s inspection policy refuses.',
    action: 'Do not import it. Ask the sender to leave the file out, or ask your security officer whether the policy should allow the type.',
  },
  TYPE_MISMATCH: {
    message: 'A file’s extension does not match its content: it claims to be one type and is another.',
    action: 'Do not import it. A disguised file is a common way to smuggle executables: report the bundle to your security officer.',
  },
  MACRO_FOUND: {
    message: 'An Office document carries macros (a VBA project), which this station’s inspection policy refuses.',
    action: 'Ask the sender for the document without macros (saved as .docx/.xlsx/.pptx or PDF), or ask your security officer.',
  },
  ARCHIVE_LIMIT: {
    message:
      'An archive inside the bundle goes beyond an inspection limit (nesting depth, member count, expanded size or expansion ratio); what lies beyond was not inspected, so it is not taken.',
    action: 'Ask the sender to send the contents unpacked or split, or ask your security officer whether the limits should be raised.',
  },
  ARCHIVE_ENCRYPTED: {
    message: 'An archive inside the bundle is encrypted (password-protected), so its contents cannot be inspected.',
    action: 'Ask the sender for the contents unencrypted; the signature already protects them in transit.',
  },
  ARCHIVE_UNREADABLE: {
    message: 'An archive inside the bundle is damaged or of a kind the station cannot open safely, so its contents cannot be inspected.',
    action: 'Ask the sender to send the contents unpacked or as zip or tar, or ask your security officer.',
  },
  MALWARE_FOUND: {
    message: 'The malware scanner found a threat in a file.',
    action: 'Do not import it. The bundle is in quarantine: tell your security officer, who decides what happens to it.',
  },
  SCAN_FAILED: {
    message:
      'The malware scanner could not give a clean verdict for a file (too large for it, a scan limit, an error or a timeout); a file not proven clean is not taken.',
    action: 'Ask your security officer to check the scanner’s limits and log, then import again.',
  },
  SCANNER_UNAVAILABLE: {
    // One meaning, whoever asks (import, verify, policy check): the scanner did not answer. What became of a bundle, if there is one, its report says.
    message: 'The malware scanner the station’s policy names did not answer, so nothing could be scanned.',
    action: 'Start the scanner (or ask your administrator to) and check its address in the policy; then try again.',
  },
  SCAN_DB_STALE: {
    message: 'The malware scanner’s signature database is older than the station’s policy allows.',
    action: 'Bring a current signature database across (a feed bundle), then import again.',
  },
  CHANNEL_GAP: {
    message: 'The bundle’s channel sequence number skips ahead: one or more bundles sent on this channel before it have not arrived.',
    action: 'Ask the sending side which bundles carry the missing sequence numbers (its audit log lists them) and send them again.',
  },
  CHANNEL_DUPLICATE: {
    message: 'A bundle with this channel sequence number was already received from this signer on this channel.',
    action: 'Check the audit log for the earlier bundle; if the two differ, report it to your security officer: a sender reused a number.',
  },
  CHANNEL_REORDERED: {
    message: 'The bundle’s channel sequence number is lower than one already received: it arrived out of order, or it is an old bundle sent again.',
    action: 'If it fills a reported gap, nothing more is needed; otherwise check the audit log for a replayed bundle.',
  },
  CHANNEL_BACKLINK_BROKEN: {
    message:
      'The bundle names a previous bundle on its channel (by its tag manifest’s SHA-256) other than the one this station received with the sequence number before it.',
    action: 'Report it to your security officer: the channel’s history differs between the two sides (a substituted or forged bundle).',
  },
  CHANNEL_STAMP_INVALID: {
    message: 'The bundle’s channel fields in bag-info.txt are malformed or incomplete (channel name, sequence number or previous-bundle hash).',
    action: 'Do not import it. Ask the sender to export again with a current Airlock.',
  },
  CHANNEL_FIRST_CONTACT: {
    message:
      'This is the first bundle this station receives from this signer on this channel, and its sequence number is above 1: the numbers before it were sent before this station joined, and are not counted as missing.',
    action: 'If this station should have received the channel from its start, ask the sending side for the earlier bundles; otherwise nothing is needed.',
  },
};

export function problem(code: ProblemCode, detail?: string, path?: string): Problem {
  const base = PROBLEM_TEXT[code].message;
  const message = detail ? `${base} ${detail}` : base;
  return path === undefined ? { code, message } : { code, path, message };
}

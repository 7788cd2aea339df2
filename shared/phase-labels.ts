/**
 * What each progress phase means to an operator: `short` for the CLI's progress line, `title` and
 * `detail` for the app's progress view. One table, so the two say the same thing.
 */
import type { ProgressPhase } from './progress.js';

export interface PhaseLabel {
  short: string;
  title: string;
  detail: string;
}

export const PHASE_LABELS: Record<ProgressPhase, PhaseLabel> = {
  scanning: { short: 'Scanning', title: 'Scanning the selection', detail: 'Listing every file and checking its name.' },
  hashing: { short: 'Hashing', title: 'Hashing', detail: 'Reading every file once to record its SHA-256 checksum.' },
  'hashing-and-writing': {
    short: 'Hashing and writing',
    title: 'Hashing and writing every file',
    detail: 'Reading every file once, recording its SHA-256 checksum and writing it into the bundle in the same pass.',
  },
  signing: { short: 'Signing', title: 'Signing', detail: 'Signing the manifest with the station key.' },
  writing: { short: 'Writing', title: 'Writing the bundle', detail: 'Reading every file again and checking it did not change since it was hashed.' },
  'writing-tag-files': {
    short: 'Writing the manifest',
    title: 'Writing the signed manifest',
    detail: 'Writing the manifest and its signature in front of the files already written.',
  },
  syncing: { short: 'Syncing to disk', title: 'Flushing to disk', detail: 'Making sure every byte is on the disk before the bundle gets its final name.' },
  'verifying-signature': {
    short: 'Checking signature',
    title: 'Checking the signature',
    detail: 'Proving who signed the manifest, before trusting any of it.',
  },
  'verifying-payload': { short: 'Verifying', title: 'Checking every file', detail: 'Hashing each file and comparing it with the signed manifest.' },
  'reading-back': {
    short: 'Reading back',
    title: 'Reading back from the medium',
    detail: 'Reading every file written to the medium again, past the page cache, and comparing it with what was written.',
  },
  'pulling-images': {
    short: 'Pulling images',
    title: 'Pulling images from the registry',
    detail: 'Fetching each image’s manifests and layers from the sending side’s registry and checking each against its digest.',
  },
  'pushing-images': {
    short: 'Pushing images',
    title: 'Pushing images to the registry',
    detail: 'Sending each verified image to the internal registry: layers first, then manifests; the registry’s digest is checked against the signed one.',
  },
  'reading-manifest': {
    short: 'Reading the manifest',
    title: 'Reading the signed manifest',
    detail: 'Reading every line of the signed list of files and checking each name, before any file is read.',
  },
  'recording-files': {
    short: 'Recording files',
    title: 'Recording files in the audit log',
    detail: 'Writing the path, size and checksum of every imported file for the audit log, before the files get their final place.',
  },
  'writing-receipts': {
    short: 'Done; writing receipts',
    title: 'Done, writing receipts',
    detail:
      'The transfer is done and on record (an export’s bundle published, an import’s files in place). Its receipts (JSON, HTML, PDF) are being written and signed; there is nothing left to cancel.',
  },
  settling: {
    short: 'Files in place; recording the import',
    title: 'Files in place, recording the import',
    detail:
      'The imported files have their final place. The import is being recorded: its audit event with every file’s row, together with the station’s record of the bundle; there is nothing left to cancel.',
  },
  'verifying-audit-chain': {
    short: 'Checking the audit chain',
    title: 'Checking the audit log’s hash chain',
    detail:
      'Reading every event of the audit log, checking that it follows the one before and recomputing its hash. It only reads: a cancel leaves the log as it was.',
  },
};

/** What each progress phase means to an operator (the app's progress view). */
import type { ProgressPhase } from './progress.js';

export const PHASE_LABELS: Record<ProgressPhase, { title: string; detail: string }> = {
  scanning: { title: 'Scanning the selection', detail: 'Listing every file and checking its name.' },
  hashing: { title: 'Hashing', detail: 'Reading every file once to record its SHA-256 checksum.' },
  signing: { title: 'Signing', detail: 'Signing the manifest with the station key.' },
  writing: { title: 'Writing the bundle', detail: 'Reading every file again and checking it did not change since it was hashed.' },
  syncing: { title: 'Flushing to disk', detail: 'Making sure every byte is on the disk before the bundle gets its final name.' },
  'verifying-signature': { title: 'Checking the signature', detail: 'Proving who signed the manifest, before trusting any of it.' },
  'verifying-payload': { title: 'Checking every file', detail: 'Hashing each file and comparing it with the signed manifest.' },
  'reading-back': { title: 'Reading back from the medium', detail: 'Reading every file written to the medium again, past the page cache, and comparing it with what was written.' },
};

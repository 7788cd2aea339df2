import type { MediaExportReport } from '../../../shared/media.js';
import type { WriteBundleResult } from '../export/write-bundle.js';
import type { ImportResult } from '../import/import-bundle.js';
import type { ReceiptCheck, TransferReceipt } from './receipt.js';
import { inspectionCheckDetail, inspectionRecord } from '../inspect/inspection-record.js';

/** The checks an export's receipt lists: what was done to the bundle before it left, in order. */
export function exportChecks(result: WriteBundleResult): ReceiptCheck[] {
  return [
    { check: 'Selection holds plain files only (no links, devices or FIFOs)', result: 'passed', detail: `${result.files} files` },
    { check: 'Pass 1: every source file hashed (SHA-256) for the manifest', result: 'passed' },
    {
      check: `Tag manifest signed (${result.signers.length === 1 ? 'one signer' : `${result.signers.length} signers`})`,
      result: 'passed',
      detail: result.signers.map((s) => s.fingerprint).join(', '),
    },
    { check: 'Pass 2: every file hashed again while written, unchanged since pass 1', result: 'passed' },
    { check: 'Bundle written under a temp name, fsynced, published without overwriting', result: 'passed', detail: `${result.bundleBytes} bytes` },
    { check: 'Read back from the media past the page cache', result: 'not run', detail: 'written to a folder, not to removable media' },
  ];
}

const ONE_PASS_CHECK = 'One pass: every source file read once, hashed (SHA-256) and written at its place, unchanged while read';
const READ_BACK_BY_RECORD_CHECK = 'Read back from the media past the page cache, record by record against the signed manifest';

/** An export to removable media: the same first four checks, then how the media were written and read back. */
export function mediaExportChecks(result: WriteBundleResult, media: MediaExportReport): ReceiptCheck[] {
  const readBacks = media.volumes.map((v) => v.readBack);
  const methods = [...new Set(readBacks.map((r) => (r ? `${r.method}${r.bypassesCache ? '' : ' (cache not bypassed)'}` : 'not run')))].join(', ');
  // Written in one pass (export/one-pass-write.ts): no second reading of the sources, and the read-back proves each record instead of a SHA-256 known before.
  const onePass = readBacks.some((r) => r?.checkedBy === 'records');
  const [selection, pass1, signed, pass2] = exportChecks(result);
  const passes: ReceiptCheck[] = onePass
    ? [selection as ReceiptCheck, { check: ONE_PASS_CHECK, result: 'passed' }, signed as ReceiptCheck]
    : [selection as ReceiptCheck, pass1 as ReceiptCheck, signed as ReceiptCheck, pass2 as ReceiptCheck];
  return [
    ...passes,
    {
      check: media.split
        ? 'Parts and signed volume index written under temp names, fsynced, published without overwriting'
        : 'Bundle written under a temp name, fsynced, published without overwriting',
      result: 'passed',
      detail: `${result.bundleBytes} bytes${media.split ? ` in ${media.parts} parts on ${media.volumes.length} volume(s)` : ''}`,
    },
    {
      check: onePass ? READ_BACK_BY_RECORD_CHECK : 'Read back from the media past the page cache',
      result: readBacks.every((r) => r === null) ? 'not run' : media.readBackOk ? 'passed' : 'failed',
      detail: `${methods}; ${readBacks.reduce((n, r) => n + (r?.bytes ?? 0), 0)} bytes${onePass ? '; tag files and headers byte for byte, every payload file by its signed SHA-256, padding and end blocks as zeros' : ''}`,
    },
  ];
}

/** The media a receipt names: the first volume's label and serial, and every volume. */
export function receiptMedia(media: MediaExportReport): NonNullable<TransferReceipt['media']> {
  const first = media.volumes[0]?.medium;
  return {
    label: first?.label ?? null,
    serial: first?.serial ?? null,
    volumes: media.volumes.map((v) => ({
      number: v.number,
      label: v.medium.label,
      serial: v.medium.serial,
      device: v.medium.device,
      filesystem: v.medium.filesystem,
      files: v.files,
      readBack: v.readBack ? `${v.readBack.ok ? 'ok' : 'FAILED'}, ${v.readBack.method}` : null,
    })),
  };
}

/** The checks an import's receipt lists: everything the bundle passed before it was committed. */
export function importChecks(result: ImportResult): ReceiptCheck[] {
  return [
    {
      check: 'Tag manifest signature by a trusted key, valid now (not expired, not revoked)',
      result: 'passed',
      detail: result.signers.map((s) => s.fingerprint).join(', '),
    },
    { check: 'Tag files (bagit.txt, bag-info.txt, manifest) match the signed tag manifest', result: 'passed' },
    { check: 'bagit.txt, bag-info.txt and Payload-Oxum well-formed and consistent', result: 'passed' },
    { check: 'Every path safe, no links or special entries, no duplicates; names allowed by station policy', result: 'passed' },
    { check: 'Station limits (entries, sizes, path depth and length)', result: 'passed' },
    {
      check: 'Replay guard',
      result: 'passed',
      detail: result.replayOf === null ? 'first import of this bundle' : `re-import of import #${result.replayOf}, overridden by the operator`,
    },
    { check: 'Every payload file matches its signed SHA-256', result: 'passed', detail: `${result.bundle.files} files, ${result.bundle.bytes} bytes` },
    { check: 'Complete: nothing listed is missing, nothing present is unlisted', result: 'passed' },
    ...inspectionCheck(result),
    { check: 'Staged privately, flushed to disk, committed in one rename', result: 'passed', detail: result.destination ?? '' },
  ];
}

/** Content inspection's line (issue #16), when the station policy has an `inspect` section. */
function inspectionCheck(result: ImportResult): ReceiptCheck[] {
  const record = inspectionRecord(result.inspection);
  if (record === null) return [];
  return [
    { check: 'Content inspection: true file types, archive members, malware scan (policy `inspect`)', result: 'passed', detail: inspectionCheckDetail(record) },
  ];
}

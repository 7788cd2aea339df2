/**
 * The receipt of a medium's verification (`airlock media verify`, issue #19.2): one per bundle or
 * part set found on the medium, in the transfer receipt's shape (kind `media-verify`), so the
 * officer files it beside that bundle's export receipt. A refused bundle gets one too: a failed
 * check is exactly what goes into the paper file.
 */
import { fileNameText } from '../../../shared/display-text.js';
import { basename } from 'node:path';
import type { VerifyResult, PolicyFinding } from '../../../shared/results.js';
import { BUNDLE_SUFFIX } from '../bundle/format.js';
import type { MediaVerifyItem, MediaVerifyReport } from '../media/read-back/media-verify.js';
import { parseIndexFileName } from '../media/parts/part-names.js';
import type { ReceiptCheck, TransferReceipt } from './receipt.js';
import type { TransferReceiptFacts } from './transfer-receipt.js';

/** At most this many problems become their own check lines (the JSON's and the audit event's problem lists are complete). */
export const RECEIPT_PROBLEM_LINES = 20;

/** The check names (the JSON's English words; catalogue-de.ts translates them). */
export const MEDIA_VERIFY_CHECKS = {
  readBack: 'Read from the medium past the page cache',
  signature: 'Tag manifest signature by a trusted key, valid now (not expired, not revoked)',
  requiredSigners: 'Signers required by station policy',
  limits: 'Station limits (entries, sizes, path depth and length)',
  parts: 'Parts on this medium match the signed volume index',
  payload: 'Every payload file matches its signed SHA-256',
} as const;

/**
 * The receipt's file name stem: the file's own name on the medium less its suffix (a name the
 * medium's file system already holds, so never a path), not the bundle's declared name, which a
 * refused bundle may make anything. Control, bidi and invisible characters become `_`
 * (fileNameText): the station writes no file whose name reorders or hides itself in a listing.
 */
export function mediaVerifyReceiptName(item: MediaVerifyItem): string {
  const file = basename(item.file);
  if (item.kind === 'split') return fileNameText(parseIndexFileName(file) ?? file);
  return fileNameText(file.endsWith(BUNDLE_SUFFIX) ? file.slice(0, -BUNDLE_SUFFIX.length) || file : file);
}

/** The facts of one item's receipt; the station, operator, times and audit anchor are added by buildTransferReceipt. */
export function mediaVerifyFacts(
  item: MediaVerifyItem,
  report: MediaVerifyReport,
  anchor: Pick<TransferReceiptFacts, 'startedAt' | 'event' | 'checkpoint'>,
): TransferReceiptFacts & { outcome: NonNullable<TransferReceipt['outcome']> } {
  const r = item.result;
  const m = report.medium;
  const readBack = report.readBack ? `${item.ok ? 'ok' : 'FAILED'}, ${report.readBack.method}` : null;
  return {
    bundle: { name: r.bundle.name ?? mediaVerifyReceiptName(item), uuid: r.bundle.uuid, tagmanifestSha256: r.bundle.tagmanifestSha256, path: item.file },
    signers: r.signers,
    checks: mediaVerifyChecks(item, report),
    files: r.bundle.files,
    bytes: r.bundle.bytes,
    destination: report.dir,
    media: {
      label: m?.label ?? null,
      serial: m?.serial ?? null,
      volumes: [
        {
          number: 1,
          label: m?.label ?? null,
          serial: m?.serial ?? null,
          device: m?.device ?? null,
          filesystem: m?.filesystem ?? null,
          files: [basename(item.file)],
          readBack,
        },
      ],
    },
    outcome: item.ok ? 'verified' : 'refused',
    ...anchor,
  };
}

/** What was checked of one bundle (or part set) on the medium, in order, each passed, failed or not run; then its problems by code. */
export function mediaVerifyChecks(item: MediaVerifyItem, report: MediaVerifyReport): ReceiptCheck[] {
  const r = item.result;
  const rb = report.readBack;
  const checks: ReceiptCheck[] = [
    {
      check: MEDIA_VERIFY_CHECKS.readBack,
      // Read through the cache, the bytes may be the kernel's memory of the medium, not the medium: not proven, not failed.
      result: rb?.bypassesCache ? 'passed' : 'not run',
      detail: rb ? `${rb.method}: ${rb.detail}` : 'nothing to read',
    },
    fromFindings(MEDIA_VERIFY_CHECKS.signature, findings(r, ['trusted-signer', 'signature-date']), r.signers.map((s) => s.fingerprint).join(', ')),
    fromFindings(MEDIA_VERIFY_CHECKS.requiredSigners, findings(r, ['required-signers'])),
    fromFindings(MEDIA_VERIFY_CHECKS.limits, findings(r, ['limit-files', 'limit-total-bytes', 'limit-file-bytes', 'limit-paths'])),
  ];
  if (item.kind === 'split') {
    const here = (r.parts?.files ?? []).filter((p) => p.path !== null).length;
    checks.push({
      check: MEDIA_VERIFY_CHECKS.parts,
      result: item.ok || item.reassembled ? 'passed' : 'failed',
      detail: `${here} of ${r.parts?.count ?? 0} parts on this medium`,
    });
  }
  checks.push(payloadCheck(item));
  for (const p of r.problems.slice(0, RECEIPT_PROBLEM_LINES))
    checks.push({ check: p.code, result: 'failed', detail: p.path ? `${p.path}: ${p.message}` : p.message });
  if (r.problems.length > RECEIPT_PROBLEM_LINES)
    checks.push({
      check: 'More problems',
      result: 'failed',
      detail: `${r.problems.length - RECEIPT_PROBLEM_LINES} more in the JSON report and the audit event`,
    });
  return checks;
}

function findings(r: VerifyResult, which: readonly PolicyFinding['check'][]): PolicyFinding[] {
  return r.policy.findings.filter((f) => which.includes(f.check));
}

/** Any failure fails the line; every finding passed passes it; else it was not reached. */
function fromFindings(check: string, found: PolicyFinding[], passedDetail?: string): ReceiptCheck {
  const failed = found.filter((f) => f.outcome === 'fail');
  if (failed.length > 0) return { check, result: 'failed', detail: failed.map((f) => `${f.code ?? ''} ${f.detail}`.trim()).join('; ') };
  if (found.length > 0 && found.every((f) => f.outcome === 'pass'))
    return { check, result: 'passed', detail: passedDetail || found.map((f) => f.detail).join('; ') };
  return { check, result: 'not run', detail: 'verification stopped before this check' };
}

function payloadCheck(item: MediaVerifyItem): ReceiptCheck {
  const r = item.result;
  const check = MEDIA_VERIFY_CHECKS.payload;
  if (item.kind === 'split' && !item.reassembled)
    return { check, result: 'not run', detail: item.ok ? 'parts on other volumes: verified as a whole on import' : 'verification stopped before this check' };
  const c = r.files.counts;
  const bad = c['checksum-mismatch'] + c.missing + c.unlisted + c['refused-name'] + c['refused-type'] + c['refused-limit'];
  if (bad > 0) return { check, result: 'failed', detail: `${bad} of ${r.bundle.files} files failed` };
  if (!r.files.complete || r.files.notChecked > 0 || !item.ok) return { check, result: 'not run', detail: 'verification stopped before this check' };
  return { check, result: 'passed', detail: `${r.bundle.files} files, ${r.bundle.bytes} bytes` };
}

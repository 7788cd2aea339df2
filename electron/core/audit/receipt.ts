import { join } from 'node:path';
import { displayText, jsonText } from '../../../shared/display-text.js';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { formatBytes } from '../../../shared/format.js';
import type { BundleSigner } from '../crypto/bundle-signer.js';
import { publishSetWithoutOverwrite, recoverInterruptedSets } from '../fs/numbered-publish.js';
import { sweepDeadTemps } from '../fs/owned-temp.js';
import type { ReceiptRegistrySection } from '../oci/registry-receipt.js';
import { inspectionCheckDetail, type InspectionRecord } from '../inspect/inspection-record.js';
import { AirlockError } from '../errors.js';
import type { ReceiptLanguage } from '../receipts/catalogue.js';
import { receiptFonts } from '../receipts/pdf-fonts.js';
import { renderPdfApart, type RenderMode } from '../receipts/pdf-render-host.js';
import type { ReceiptRenderer } from '../receipts/pdf-render-early.js';
import type { AnnexJob, PdfRenderJob } from '../receipts/pdf-render-job.js';

export interface ReceiptCheck {
  check: string;
  result: 'passed' | 'failed' | 'not run';
  detail?: string;
}

/** A signed statement of one transfer, for the operator and the security officer. */
export interface TransferReceipt {
  receipt: 'airlock-transfer-receipt';
  version: 1;
  /** `media-verify`: a medium's bundle verified where it lies (issue #19.2); `destination` is then the folder verified. */
  kind: 'export' | 'import' | 'media-verify';
  bundle: { name: string; uuid: string | null; tagmanifestSha256: string | null; path: string };
  signers: Array<{ fingerprint: string; userIds: string[] }>;
  checks: ReceiptCheck[];
  files: number;
  bytes: number;
  destination: string | null;
  /** The medium written (export to media): the first volume's label and serial, and every volume when there were several. */
  media: {
    label: string | null;
    serial: string | null;
    volumes?: Array<{
      number: number;
      label: string | null;
      serial: string | null;
      device: string | null;
      filesystem: string | null;
      files: string[];
      readBack: string | null;
    }>;
  } | null;
  /** Import with --push-to (issue #15.4): the far side's `export --skip-blobs-in` reads `blobsPresent`. */
  registry?: ReceiptRegistrySection | null | undefined;
  /** Content inspection (issue #16): scanner, database version and date, counts; absent or null when the policy has none. */
  inspection?: InspectionRecord | null | undefined;
  /** The bundle's channel stamp (docs/channels.md) and, on import, each finding with what the policy decided; absent without a stamp. */
  channel?: ReceiptChannel | undefined;
  /** media-verify: what the verification concluded (a refused bundle gets its receipt too); absent on export and import. */
  outcome?: 'verified' | 'refused' | undefined;
  operator: string;
  station: string;
  startedAt: string;
  finishedAt: string;
  audit: { eventSeq: number; eventHash: string; checkpoint: { seq: number; hash: string; at: string } | null };
}

export interface ReceiptChannel {
  channel: string;
  sequence: number;
  previousTagManifestSha256: string | null;
  heartbeat: boolean;
  findings: Array<{ code: string; expected: number; received: number; decision: 'refuse' | 'warn' }>;
}

export interface WrittenReceipt {
  json: string;
  signature: string | null;
  html: string;
  /** NAME.<kind>-receipt.pdf (PDF/A-3b, issue #19.2); null only when it could not be made (then `pdfProblem` says why). */
  pdf: string | null;
  /** NAME.<kind>-receipt.pdf.asc, when a key is at hand. */
  pdfSignature: string | null;
  /** Why there is no PDF: `RECEIPT_PDF_FAILED: <message>`, for the operation's warnings; the rest of the set is published. */
  pdfProblem?: string | undefined;
}

/** What the PDF needs beyond the JSON receipt: language, the annex's file rows, the two-person rule. */
export interface ReceiptPdfOptions {
  language?: ReceiptLanguage | undefined;
  /** Where the annex's rows are: the station database and the event (the renderer reads the first ANNEX_MAX_FILES), or the rows; absent: no annex. */
  files?: AnnexJob | undefined;
  /** A staged export prepared by one person and approved by another: two signature lines. */
  twoPerson?: boolean | undefined;
  organization?: string | null | undefined;
  /** Where the renderer runs (pdf-render-host.ts): by default a child process under Node, a worker thread under Electron. */
  renderMode?: RenderMode | undefined;
  /**
   * A renderer already running: kept between receipts (`airlock watch`, pdf-render-warm.ts) or
   * started at the job's start (pdf-render-early.ts); it was started for this process's render
   * mode. Absent: a one-shot renderer is started now (in `renderMode`).
   */
  renderer?: ReceiptRenderer | undefined;
  /** The files' NAME when not the bundle's name (media-verify: the file's name on the medium, as a refused bundle's name may be anything). */
  fileStem?: string | undefined;
}

/**
 * Write NAME.<kind>-receipt.json (+ .json.asc when a key is at hand), .html and .pdf (+ .pdf.asc)
 * into `dir`, never replacing a file, folder or symlink that is there: the set goes in together
 * under the first base none of whose names is taken: NAME.<kind>-receipt, then -2, -3 ...
 * (numbered-publish.ts), all or nothing under a kill (set-journal.ts). The PDF embeds the JSON
 * and its .asc byte for byte. A set an earlier, killed receipt write left half published in `dir`
 * is finished first, and its temp files are removed when provably dead.
 */
export async function writeReceipt(
  dir: string,
  receipt: TransferReceipt,
  signer: BundleSigner | null,
  options: ReceiptPdfOptions = {},
): Promise<WrittenReceipt> {
  // First finish a receipt set a killed run left half published, then clear its dead temps.
  await recoverInterruptedSets(dir);
  await sweepDeadTemps(dir, (final) => final.includes('-receipt'));
  // The exact values, with nothing a terminal or viewer acts on raw (shared rule): the operator reads it with cat.
  const json = `${jsonText(receipt, 2)}\n`;
  const signature = signer ? await signer.sign(Buffer.from(json, 'utf8')) : null;
  const stem = join(dir, `${options.fileStem ?? receipt.bundle.name}.${receipt.kind}-receipt`);
  const pdf = await receiptPdf(receipt, json, signature, options);
  const pdfSignature = signer && pdf.bytes ? await signer.sign(pdf.bytes) : null;
  const base = await publishSetWithoutOverwrite(
    (n) => (n === 1 ? stem : `${stem}-${n}`),
    [
      { suffix: '.json', data: json },
      ...(signature !== null ? [{ suffix: '.json.asc', data: signature }] : []),
      { suffix: '.html', data: renderReceiptHtml(receipt, signature !== null) },
      ...(pdf.bytes ? [{ suffix: '.pdf', data: pdf.bytes }] : []),
      ...(pdfSignature !== null ? [{ suffix: '.pdf.asc', data: pdfSignature }] : []),
    ],
    // An unsigned (or PDF-less) receipt must not sit beside someone's .asc or .pdf, which would read as its own.
    ['.json.asc', '.pdf', '.pdf.asc'],
  );
  return {
    json: `${base}.json`,
    signature: signature === null ? null : `${base}.json.asc`,
    html: `${base}.html`,
    pdf: pdf.bytes ? `${base}.pdf` : null,
    pdfSignature: pdfSignature === null ? null : `${base}.pdf.asc`,
    pdfProblem: pdf.problem,
  };
}

/**
 * The PDF, or why there is none. It is made apart from this process (pdf-render-host.ts: the
 * renderer's memory never adds to a big transfer's peak) and only after the transfer is done and
 * on record, so a PDF that cannot be made (a renderer that crashed or hung, fonts missing from a
 * broken installation) must not cost the JSON receipt: the set is published without the .pdf and
 * the caller reports the problem as a warning with its code (RECEIPT_PDF_FAILED).
 */
async function receiptPdf(
  receipt: TransferReceipt,
  json: string,
  signature: string | null,
  options: ReceiptPdfOptions,
): Promise<{ bytes: Buffer | null; problem?: string }> {
  try {
    const job: PdfRenderJob = {
      json,
      signature,
      attachmentName: `${options.fileStem ?? receipt.bundle.name}.${receipt.kind}-receipt.json`,
      language: options.language ?? 'en',
      annex: options.files ?? { total: 0, rows: [] },
      twoPerson: options.twoPerson ?? false,
      organization: options.organization ?? null,
      fonts: receiptFonts(),
    };
    const bytes = options.renderer !== undefined ? await options.renderer.render(job) : await renderPdfApart(job, { mode: options.renderMode });
    return { bytes };
  } catch (error) {
    // The cause's own words (an AirlockError's detail: its code's message would only say "internal error").
    const cause = error instanceof AirlockError ? (error.detail ?? error.message) : error instanceof Error ? error.message : String(error);
    const failure = new AirlockError('RECEIPT_PDF_FAILED', cause);
    return { bytes: null, problem: `${failure.code}: ${failure.message}` };
  }
}

function escapeHtml(text: string): string {
  // Controls, bidi marks and zero-width characters as visible escapes first (the shared rule), then HTML's own.
  return displayText(text).replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);
}

function mediaText(media: NonNullable<TransferReceipt['media']>): string {
  const volumes = media.volumes ?? [];
  if (volumes.length === 0) return `${media.label ?? ''} ${media.serial ?? ''}`.trim();
  return volumes
    .map(
      (v) =>
        `volume ${v.number}: ${[v.label, v.serial, v.device, v.filesystem].filter((x) => x !== null).join(' ')}${v.readBack ? ` (read back: ${v.readBack})` : ''}: ${v.files.join(', ')}`,
    )
    .join(' | ');
}

/** A self-contained page: no scripts, no external resources, every value escaped. */
export function renderReceiptHtml(receipt: TransferReceipt, signed: boolean): string {
  const row = (label: string, value: string): string => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
  const checks = receipt.checks
    .map(
      (c) =>
        `<tr class="${c.result === 'passed' ? 'ok' : c.result === 'failed' ? 'bad' : ''}"><td>${escapeHtml(c.check)}</td><td>${escapeHtml(c.result)}</td><td>${escapeHtml(c.detail ?? '')}</td></tr>`,
    )
    .join('\n');
  const signers = receipt.signers.map((s) => `${s.userIds.join(', ')} — ${groupFingerprint(s.fingerprint)}`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Airlock ${escapeHtml(receipt.kind)} receipt: ${escapeHtml(receipt.bundle.name)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}th{text-align:left;padding-right:1rem;vertical-align:top}td{white-space:pre-wrap;word-break:break-all}.ok td:nth-child(2){color:#17602b}.bad td:nth-child(2){color:#a11}table{border-collapse:collapse;margin-bottom:1.5rem}tr+tr{border-top:1px solid #ddd}</style>
</head><body>
<h1>Airlock ${escapeHtml(receipt.kind)} receipt</h1>
<p>${signed ? 'The JSON beside this page is signed by the station key (.asc); this page is a rendering of it.' : 'No signature: the station key was not unlocked for this transfer.'}</p>
<table>
${row('Bundle', receipt.bundle.name)}
${row('Bundle ID', receipt.bundle.uuid ?? '(none)')}
${row('Tag manifest SHA-256', receipt.bundle.tagmanifestSha256 ?? '(none)')}
${row('Bundle file', receipt.bundle.path)}
${row(receipt.kind === 'import' ? 'Imported to' : receipt.kind === 'media-verify' ? 'Verified on' : 'Written to', receipt.destination ?? receipt.bundle.path)}
${receipt.outcome ? row('Outcome', receipt.outcome === 'verified' ? 'VERIFIED' : 'REFUSED') : ''}
${row('Signed by', signers || '(none)')}
${row('Files', String(receipt.files))}
${row('Bytes', `${receipt.bytes} (${formatBytes(receipt.bytes)})`)}
${row('Media', receipt.media ? mediaText(receipt.media) : '(not recorded)')}
${receipt.inspection ? row('Content inspection', inspectionCheckDetail(receipt.inspection)) : ''}
${receipt.channel ? row('Channel', channelText(receipt.channel)) : ''}
${row('Operator', receipt.operator)}
${row('Station', receipt.station)}
${row('Started', receipt.startedAt)}
${row('Finished', receipt.finishedAt)}
${row('Audit event', `#${receipt.audit.eventSeq} ${receipt.audit.eventHash}`)}
${row('Audit checkpoint', receipt.audit.checkpoint ? `#${receipt.audit.checkpoint.seq} ${receipt.audit.checkpoint.hash} at ${receipt.audit.checkpoint.at}` : '(none signed)')}
</table>
<h2>Checks</h2>
<table><thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Detail</th></tr></thead><tbody>
${checks}
</tbody></table>
${receipt.registry ? registryHtml(receipt.registry) : ''}</body></html>
`;
}

/** Import with --push-to: per image what the registry push did (the JSON also lists every blob the registry holds). */
function registryHtml(registry: ReceiptRegistrySection): string {
  const rows = registry.images
    .map(
      (i) =>
        `<tr class="${i.outcome === 'failed' ? 'bad' : 'ok'}"><td>${escapeHtml(`${i.repository}${i.tag === null ? '' : `:${i.tag}`}`)}</td><td>${escapeHtml(i.outcome)}</td><td>${escapeHtml(i.digest)}</td><td>${escapeHtml(i.outcome === 'failed' ? `${i.errorCode ?? ''}: ${i.message ?? ''}` : `${i.blobs.uploaded} uploaded, ${i.blobs.mounted} mounted, ${i.blobs.skipped} already there`)}</td></tr>`,
    )
    .join('\n');
  return `<h2>Registry ${escapeHtml(registry.target)}</h2>
<table><thead><tr><th scope="col">Image</th><th scope="col">Result</th><th scope="col">Digest</th><th scope="col">Detail</th></tr></thead><tbody>
${rows}
</tbody></table>
`;
}

/** `diode-a, sequence 3 (previous 9f86…); CHANNEL_GAP warn (expected 2)`. */
function channelText(channel: ReceiptChannel): string {
  const previous = channel.previousTagManifestSha256 === null ? 'first on the channel' : `previous ${channel.previousTagManifestSha256}`;
  const findings = channel.findings.map((f) => `; ${f.code} ${f.decision} (expected ${f.expected})`).join('');
  return `${channel.heartbeat ? 'heartbeat on ' : ''}${channel.channel}, sequence ${channel.sequence} (${previous})${findings}`;
}

/**
 * Page one of the PDF receipt: what moved, who signed (fingerprints in groups of four), the
 * checks, content inspection, the audit event and checkpoint, who and when, and the signature
 * lines (two where the two-person rule applied: the preparer and the approver).
 */
import { groupFingerprint } from '../../../shared/fingerprint.js';
import type { TransferReceipt } from '../audit/receipt.js';
import { localNumber, localSize, localTime, type ReceiptCatalogue } from './catalogue.js';
import { CONTENT_WIDTH, GREY, INK, PAGE, type PageWriter } from './pdf-layout.js';

export interface PageFacts {
  receipt: TransferReceipt;
  signed: boolean;
  /** The export was prepared by one person and approved by another (staged export): two signature lines. */
  twoPerson: boolean;
  organization: string | null;
}

export function drawReceiptPage(w: PageWriter, t: ReceiptCatalogue, facts: PageFacts): void {
  const r = facts.receipt;
  w.use('regular', 8.5, GREY).text(w.safe(t.family), PAGE.margin, PAGE.margin, { width: CONTENT_WIDTH });
  w.use('bold', 20).text(w.safe(t.title[r.kind], 'bold'), { width: CONTENT_WIDTH });
  w.use('bold', 12).text(w.safe(r.bundle.name, 'bold', 200), { width: CONTENT_WIDTH });
  w.gap(4);
  w.paragraph(facts.signed ? t.signedNote : t.unsignedNote, 8.5, facts.signed ? GREY : '#8a1111');
  w.paragraph(t.attachmentsNote(facts.signed));

  w.heading(t.sections.moved);
  w.row(t.labels.bundle, r.bundle.name);
  w.row(t.labels.bundleId, r.bundle.uuid ?? t.labels.none, 'mono');
  w.row(t.labels.tagManifest, r.bundle.tagmanifestSha256 ?? t.labels.none, 'mono');
  w.row(t.labels.bundleFile, r.bundle.path);
  w.row(r.kind === 'import' ? t.labels.importedTo : r.kind === 'media-verify' ? t.labels.verifiedOn : t.labels.writtenTo, r.destination ?? r.bundle.path);
  if (r.outcome) w.row(t.labels.outcome, r.outcome === 'verified' ? t.outcome.verified : t.outcome.refused, 'bold');
  if (r.media) w.row(t.labels.media, mediaText(t, r.media));
  w.row(t.labels.files, localNumber(t.locale, r.files));
  w.row(t.labels.size, `${localSize(t.locale, r.bytes)} (${t.count.bytes(r.bytes)})`);

  w.heading(t.sections.signers);
  w.row(t.labels.signer, t.labels.fingerprint, 'bold', 8.5);
  if (r.signers.length === 0) w.row(t.labels.none, t.labels.none);
  for (const s of r.signers) {
    w.row(s.userIds.join(', ') || t.labels.none, groupFingerprint(s.fingerprint), 'mono');
  }

  w.heading(t.sections.checks);
  for (const c of r.checks) drawCheck(w, t, c);

  if (r.inspection) {
    const i = r.inspection;
    const scanner = i.scanner
      ? `${i.scanner.engine ?? i.scanner.kind}, ${i.scanner.databaseVersion ?? '?'} (${i.scanner.databaseDate ?? '?'})${i.codes.length > 0 ? `; ${i.codes.join(', ')}` : ''}`
      : null;
    w.heading(t.sections.inspection);
    w.paragraph(t.inspection({ files: i.files, members: i.members, warned: i.warned, refused: i.refused }, scanner), 9, INK);
  }
  if (r.registry) {
    w.heading(`${t.sections.registry}: ${r.registry.target}`);
    w.paragraph(t.registry({ images: r.registry.images.length, failed: r.registry.images.filter((i) => i.outcome === 'failed').length }), 9, INK);
    for (const image of r.registry.images.slice(0, 20)) {
      w.paragraph(`${image.outcome}  ${image.repository}${image.tag === null ? '' : `:${image.tag}`}  ${image.digest}`, 7.5, GREY, 'mono');
    }
  }

  w.heading(t.sections.audit);
  w.row(t.labels.auditEvent, `#${r.audit.eventSeq}  ${r.audit.eventHash}`, 'mono');
  const cp = r.audit.checkpoint;
  w.row(t.labels.checkpoint, cp ? `#${cp.seq}  ${cp.hash}  ${cp.at}` : t.labels.noneSigned, cp ? 'mono' : 'regular');

  w.heading(t.sections.people);
  w.row(t.labels.operator, r.operator);
  w.row(t.labels.station, r.station);
  if (facts.organization !== null) w.row(t.labels.organization, facts.organization);
  w.row(t.labels.started, localTime(t.locale, r.startedAt));
  w.row(t.labels.finished, localTime(t.locale, r.finishedAt));

  drawSignatureLines(w, t, facts);
}

function drawCheck(w: PageWriter, t: ReceiptCatalogue, c: TransferReceipt['checks'][number]): void {
  const mark = c.result === 'passed' ? '✓' : c.result === 'failed' ? '✗' : '–';
  const color = c.result === 'passed' ? '#17602b' : c.result === 'failed' ? '#a11111' : GREY;
  const name = w.safe(t.checkName(c.check));
  const detail = c.detail ? w.safe(t.checkDetail(c.detail), 'regular', 600) : null;
  const nameWidth = CONTENT_WIDTH - 105;
  const height =
    w.use('regular', 8.5).heightOfString(name, { width: nameWidth }) + (detail ? w.use('regular', 7).heightOfString(detail, { width: nameWidth }) : 0);
  w.ensure(height + 3);
  const top = w.y;
  // Status is a word and a sign, never colour alone.
  w.use('bold', 8.5, color).text(`${mark} ${w.safe(t.result[c.result], 'bold')}`, PAGE.margin, top, { width: 100 });
  w.use('regular', 8.5).text(name, PAGE.margin + 105, top, { width: nameWidth });
  if (detail) w.use('regular', 7, GREY).text(detail, PAGE.margin + 105, w.y, { width: nameWidth });
  w.doc.y += 2.5;
}

function mediaText(t: ReceiptCatalogue, media: NonNullable<TransferReceipt['media']>): string {
  const volumes = media.volumes ?? [];
  if (volumes.length === 0) return `${media.label ?? ''} ${media.serial ?? ''}`.trim() || t.labels.notRecorded;
  return volumes
    .slice(0, 20)
    .map(
      (v) =>
        `${t.labels.volume} ${v.number}: ${[v.label, v.serial, v.device, v.filesystem].filter((x) => x !== null).join(' ')}${v.readBack ? ` (${t.labels.readBack}: ${v.readBack})` : ''}`,
    )
    .join('\n');
}

/** Lines to sign on paper: the operator; or, under the two-person rule, the preparer and the approver side by side. */
function drawSignatureLines(w: PageWriter, t: ReceiptCatalogue, facts: PageFacts): void {
  const r = facts.receipt;
  const who = (s: TransferReceipt['signers'][number] | undefined): string =>
    s ? `${s.userIds[0] ?? ''} ${groupFingerprint(s.fingerprint).slice(-19)}`.trim() : '';
  const boxes = facts.twoPerson
    ? [
        { role: t.signatureLines.prepared, name: who(r.signers[0]) },
        { role: t.signatureLines.approved, name: r.signers.slice(1).map(who).join('; ') },
      ]
    : [{ role: t.signatureLines.single, name: r.operator }];
  w.heading(t.sections.sign);
  w.ensure(70);
  const top = w.y + 4;
  const width = (CONTENT_WIDTH - 30) / 2;
  boxes.forEach((box, i) => {
    const x = PAGE.margin + i * (width + 30);
    w.use('bold', 8, GREY).text(w.safe(box.role, 'bold'), x, top, { width });
    w.use('regular', 8.5).text(w.safe(box.name, 'regular', 160), x, w.y, { width, height: 24, ellipsis: true });
    const lineY = top + 52;
    w.doc
      .moveTo(x, lineY)
      .lineTo(x + width, lineY)
      .lineWidth(0.7)
      .strokeColor(INK)
      .stroke();
    w.use('regular', 7, GREY).text(w.safe(t.signatureLines.nameDate), x, lineY + 3, { width });
  });
  w.doc.y = top + 70;
}

import type { ReceiptPdfOptions } from '../audit/receipt.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { StationContext } from '../station/context.js';
import { auditAnnexFiles } from './annex-files.js';

/** The PDF receipt's station-side facts: the station's language and organization, the event's file rows. */
export function receiptPdfOptions(context: StationContext, event: AuditEvent, twoPerson: boolean): ReceiptPdfOptions {
  return {
    language: context.language,
    files: auditAnnexFiles(context.database(), event.seq),
    twoPerson,
    organization: context.identity.organization,
  };
}

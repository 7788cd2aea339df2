import type { ReceiptPdfOptions } from '../audit/receipt.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { StationContext } from '../station/context.js';

/**
 * The PDF receipt's station-side facts: the station's language and organization, and where the
 * event's file rows are (the renderer reads them itself: this process reads none).
 */
export function receiptPdfOptions(context: StationContext, event: AuditEvent, twoPerson: boolean): ReceiptPdfOptions {
  return {
    language: context.language,
    files: { database: context.paths.database, eventSeq: event.seq },
    twoPerson,
    organization: context.identity.organization,
  };
}

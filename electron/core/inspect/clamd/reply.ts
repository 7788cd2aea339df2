/**
 * What clamd's replies mean (issue #16.4). Only `stream: OK` is clean: every other reply, however
 * harmless it looks, is a finding carrying clamd's own words, so a scan that did not happen (a
 * size limit, an error, a reply we do not know) can never pass as clean (clamav#1319,
 * kylefarris/clamscan#131, archivematica#875).
 */
import type { ScanVerdict } from '../contract.js';

/** Longest scanner text carried into a verdict (clamd's replies are short; a hostile peer's need not be). */
export const MAX_REPLY_TEXT = 512;

/** Printable, single-line, bounded: the reply text as reports may show it. */
export function replyText(raw: string): string {
  const flat = raw.replace(/[\u0000-\u001f\u007f-\u009f]+/gu, ' ').trim();
  return flat.length > MAX_REPLY_TEXT ? `${flat.slice(0, MAX_REPLY_TEXT)}…` : flat;
}

/**
 * clamd's verdict for one INSTREAM. `Heuristics.Limits.Exceeded.*` (AlertExceedsMax) is clamd
 * saying it did not look at everything: that is an incomplete scan (error), not a signature hit.
 */
export function classifyScanReply(raw: string): ScanVerdict {
  const text = replyText(raw);
  if (text === 'stream: OK') return { outcome: 'clean', detail: null };
  const found = /^stream: (.+) FOUND$/u.exec(text);
  if (found !== null) {
    const signature = (found[1] ?? '').trim();
    if (signature.startsWith('Heuristics.Limits.Exceeded')) return { outcome: 'error', detail: `clamd did not scan everything: ${signature}` };
    if (signature.length > 0) return { outcome: 'found', detail: signature };
  }
  return { outcome: 'error', detail: text.length > 0 ? text : 'clamd gave an empty reply' };
}

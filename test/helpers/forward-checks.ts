/**
 * What every forwarding fault test asserts of what a sink received: each audit seq 1..N at least
 * once, nothing else, and a seq that came twice came with the very same content (the same event
 * sent again, which the SIEM de-duplicates by seq), never a different event under a reused seq.
 */
import { expect } from 'vitest';
import { SD_ID } from '../../electron/core/forward/syslog-format.js';
import type { ReceivedMessage } from './rsyslog-process.js';

export interface DeliveredCopy {
  seq: number;
  /** The whole content of this copy (SD or JSON line), compared between duplicates. */
  content: string;
}

export function expectEverySeqOnce(copies: readonly DeliveredCopy[], head: number): { duplicates: number } {
  const bySeq = new Map<number, string>();
  let duplicates = 0;
  const differing: number[] = [];
  for (const copy of copies) {
    const seen = bySeq.get(copy.seq);
    if (seen === undefined) bySeq.set(copy.seq, copy.content);
    else {
      duplicates += 1;
      if (seen !== copy.content) differing.push(copy.seq);
    }
  }
  const missing: number[] = [];
  for (let seq = 1; seq <= head; seq += 1) if (!bySeq.has(seq)) missing.push(seq);
  const unexpected = [...bySeq.keys()].filter((seq) => !Number.isInteger(seq) || seq < 1 || seq > head);
  expect({ missing: missing.slice(0, 50), missingCount: missing.length, unexpected, differing }).toEqual({
    missing: [],
    missingCount: 0,
    unexpected: [],
    differing: [],
  });
  return { duplicates };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The first control (C0, DEL, C1), bidi or line/paragraph-separator character in `text`, or null. */
export function unsafeCharIn(text: string): string | null {
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    const bidi = cp === 0x61c || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029 || bidi) return `U+${cp.toString(16).padStart(4, '0')}`;
  }
  return null;
}

/** Whether rsyslog's file holds every seq 1..head from this station (any number of copies). */
export function everySeqIn(messages: readonly ReceivedMessage[], station: string, head: number): boolean {
  const seen = new Set<number>();
  for (const m of messages) if (m.hostname === station) seen.add(Number(m.params[SD_ID]?.['seq']));
  for (let seq = 1; seq <= head; seq += 1) if (!seen.has(seq)) return false;
  return true;
}

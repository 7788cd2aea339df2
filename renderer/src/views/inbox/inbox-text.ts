/**
 * Words for what the Inbox view shows (issue #17.4): outcomes and watcher states as an icon AND a
 * word (never colour alone), codes in words (problem codes by their message in shared/problems.ts,
 * error codes by theirs in shared/errors.ts, inbox-entry codes by shared/watch-codes.ts), times, ages and runs of missing sequence numbers.
 * Everything a watcher or a bundle wrote is hostile text: each value passes through displayText().
 */
import { displayText } from '../../../../shared/display-text.js';
import { ERROR_CODES, errorMessage, type ErrorCode } from '../../../../shared/errors.js';
import { PROBLEM_TEXT, type ProblemCode } from '../../../../shared/problems.js';
import type { WatchOutcome, WatchStatus } from '../../../../shared/watch.js';
import { WATCH_ENTRY_CODES, type WatchEntryCode } from '../../../../shared/watch-codes.js';

export interface Marked {
  icon: string;
  text: string;
  color: string;
}

export const OUTCOME_TEXT: Record<WatchOutcome, Marked> = {
  accepted: { icon: '✓', text: 'Accepted', color: 'green' },
  quarantined: { icon: '■', text: 'Quarantined', color: 'orange' },
  rejected: { icon: '✗', text: 'Rejected', color: 'red' },
  heartbeat: { icon: '♥', text: 'Heartbeat', color: 'blue' },
  failed: { icon: '⚠', text: 'Failed', color: 'red' },
};

export const WATCHER_STATE_TEXT: Record<WatchStatus['state'], Marked & { meaning: string }> = {
  running: { icon: '▶', text: 'Running', color: 'green', meaning: 'It holds its lock and takes bundles as they arrive.' },
  stopped: { icon: '■', text: 'Stopped', color: 'gray', meaning: 'It stopped cleanly; bundles dropped now wait until a watcher runs again.' },
  dead: {
    icon: '✗',
    text: 'Dead',
    color: 'red',
    meaning: 'Its process is gone without a clean stop (killed or crashed). Start it again: it finishes or undoes what it left half done.',
  },
};

/** The heartbeat alarm's mark: a sign every station font draws (an emoji clock is a blank box where no emoji font is installed). */
export const ALARM_ICON = '⚠';

/** A watcher that runs but has not written its status for this long may be hung (it writes every few seconds). */
export const STALE_AFTER_SECONDS = 60;

const isProblemCode = (code: string): code is ProblemCode => Object.hasOwn(PROBLEM_TEXT, code);
const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);
const isWatchEntryCode = (code: string): code is WatchEntryCode => Object.hasOwn(WATCH_ENTRY_CODES, code);

/** A code from a status file or a report, in words: never a bare code the operator must look up. */
export function codeWords(code: string): string {
  if (isProblemCode(code)) return PROBLEM_TEXT[code].message;
  if (isErrorCode(code)) return errorMessage(code);
  if (isWatchEntryCode(code)) return WATCH_ENTRY_CODES[code].message;
  return 'A code this version of Airlock does not know: see the bundle’s report.';
}

/** What a finding's message adds to its code's message (the detail), or null when it adds nothing. */
export function detailOf(message: string, codeMessage: string): string | null {
  const rest = message.startsWith(codeMessage) ? message.slice(codeMessage.length).trim() : message.trim();
  return rest.length > 0 ? rest : null;
}

/** An ISO 8601 time as `2026-12-03 08:10:05 UTC` (the status file writes UTC), escaped. */
export function when(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/u.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : displayText(iso);
}

/** Seconds from `from` to `to` (both ISO 8601); null when either does not parse. */
export function secondsBetween(from: string, to: string): number | null {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return Number.isNaN(a) || Number.isNaN(b) ? null : Math.round((b - a) / 1000);
}

/** A span of seconds in words: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function span(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Ascending sequence numbers as runs: `[4, 7, 8, 9]` -> `4, 7–9`. */
export function runsOf(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const runs: string[] = [];
  let start: number | undefined;
  let end: number | undefined;
  const close = () => {
    if (start === undefined || end === undefined) return;
    runs.push(start === end ? String(start) : end === start + 1 ? `${start}, ${end}` : `${start}–${end}`);
  };
  for (const n of sorted) {
    if (end !== undefined && n === end + 1) {
      end = n;
      continue;
    }
    close();
    start = n;
    end = n;
  }
  close();
  return runs.join(', ');
}

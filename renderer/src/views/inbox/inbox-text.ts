/**
 * Words for what the Inbox view shows (issue #17.4): outcomes and watcher states as an icon AND a
 * word (never colour alone), codes in words (problem codes by their message in shared/problems.ts,
 * error codes by theirs in shared/errors.ts, inbox-entry codes by shared/watch-codes.ts), times, ages and runs of missing sequence numbers.
 * Everything a watcher or a bundle wrote is hostile text: each value passes through displayText().
 */
import { displayText } from '../../../../shared/display-text.js';
import { ERROR_CODES, type ErrorCode } from '../../../../shared/errors.js';
import { PROBLEM_TEXT, type ProblemCode } from '../../../../shared/problems.js';
import type { WatchOutcome, WatchStatus } from '../../../../shared/watch.js';
import type { WatchEntryCode } from '../../../../shared/watch-codes.js';
import { useMemo } from 'react';
import type { MessageId } from '../../i18n/en.js';
import { useFormat } from '../../i18n/format.js';
import { useSharedText } from '../../i18n/shared-text.js';
import { useT } from '../../i18n/useT.js';

/** The inbox-entry codes shared/watch-codes.ts defines, each with its message in the catalogue (a new one fails to compile here until it has one). */
const WATCH_ENTRY_MESSAGE: Record<WatchEntryCode, MessageId> = { INBOX_ENTRY_REFUSED: 'inbox.code.INBOX_ENTRY_REFUSED' };

export interface Marked {
  icon: string;
  text: string;
  color: string;
}

const OUTCOME_MARK: Record<WatchOutcome, Omit<Marked, 'text'> & { id: MessageId }> = {
  accepted: { icon: '✓', id: 'inbox.outcome.accepted', color: 'green' },
  quarantined: { icon: '■', id: 'inbox.outcome.quarantined', color: 'orange' },
  rejected: { icon: '✗', id: 'inbox.outcome.rejected', color: 'red' },
  heartbeat: { icon: '♥', id: 'inbox.outcome.heartbeat', color: 'blue' },
  failed: { icon: '⚠', id: 'inbox.outcome.failed', color: 'red' },
};

const WATCHER_STATE_MARK: Record<WatchStatus['state'], Omit<Marked, 'text'> & { id: MessageId; meaning: MessageId }> = {
  running: { icon: '▶', id: 'inbox.state.running', color: 'green', meaning: 'inbox.state.running.meaning' },
  stopped: { icon: '■', id: 'inbox.state.stopped', color: 'gray', meaning: 'inbox.state.stopped.meaning' },
  dead: { icon: '✗', id: 'inbox.state.dead', color: 'red', meaning: 'inbox.state.dead.meaning' },
};

/** The heartbeat alarm's mark: a sign every station font draws (an emoji clock is a blank box where no emoji font is installed). */
export const ALARM_ICON = '⚠';

/** A watcher that runs but has not written its status for this long may be hung (it writes every few seconds). */
export const STALE_AFTER_SECONDS = 60;

const isProblemCode = (code: string): code is ProblemCode => Object.hasOwn(PROBLEM_TEXT, code);
const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);

/** What a finding's message adds to its code's message (the detail), or null when it adds nothing. */
export function detailOf(message: string, codeMessage: string): string | null {
  const rest = message.startsWith(codeMessage) ? message.slice(codeMessage.length).trim() : message.trim();
  return rest.length > 0 ? rest : null;
}

/** Seconds from `from` to `to` (both ISO 8601); null when either does not parse. */
export function secondsBetween(from: string, to: string): number | null {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return Number.isNaN(a) || Number.isNaN(b) ? null : Math.round((b - a) / 1000);
}

export interface InboxText {
  /** A recorded ISO 8601 time (the status file writes UTC) in the app's language, said to be UTC; text that is not a time is escaped. */
  when: (iso: string) => string;
  /** A span of seconds in words: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
  span: (seconds: number) => string;
  /** A code from a status file or a report, in words: never a bare code the operator must look up. */
  codeWords: (code: string) => string;
  outcome: (outcome: WatchOutcome) => Marked;
  watcherState: (state: WatchStatus['state']) => Marked & { meaning: string };
}

export function useInboxText(): InboxText {
  const t = useT();
  const f = useFormat();
  const shared = useSharedText();
  return useMemo(
    () => ({
      when: (iso) => f.utcTime(displayText(iso)),
      span: (seconds) => {
        const s = Math.max(0, Math.round(seconds));
        if (s < 120) return t('inbox.span.seconds', { n: s });
        const minutes = Math.floor(s / 60);
        if (minutes < 120) return t('inbox.span.minutes', { n: minutes });
        const hours = Math.floor(minutes / 60);
        if (hours < 48) return t('inbox.span.hours', { h: hours, m: minutes % 60 });
        return t('inbox.span.days', { d: Math.floor(hours / 24), h: hours % 24 });
      },
      codeWords: (code) => {
        if (isProblemCode(code)) return shared.problemBase(code);
        if (isErrorCode(code)) return shared.errorMessage({ code, message: ERROR_CODES[code].message, detail: '' });
        if (Object.hasOwn(WATCH_ENTRY_MESSAGE, code)) return t(WATCH_ENTRY_MESSAGE[code as WatchEntryCode]);
        return t('inbox.code.unknown');
      },
      outcome: (outcome) => {
        const { id, ...mark } = OUTCOME_MARK[outcome];
        return { ...mark, text: t(id) };
      },
      watcherState: (state) => {
        const { id, meaning, ...mark } = WATCHER_STATE_MARK[state];
        return { ...mark, text: t(id), meaning: t(meaning) };
      },
    }),
    [t, f, shared],
  );
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

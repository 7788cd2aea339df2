/**
 * The texts shared/ holds for every front end, in the app's language: problem and error messages
 * with their next steps, and the progress phases. English comes from shared/problems.ts, errors.ts,
 * error-actions.ts and phase-labels.ts as it always did; German from shared/i18n/. What core adds
 * to a code's message for one occurrence (a count, a path, a registry's answer) is facts from the
 * engine and stays as it came, after the translated message. The code is shown as it is, beside it.
 */
import { useMemo } from 'react';
import { ERROR_ACTIONS } from '../../../shared/error-actions.js';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';
import { DE_ERROR_TEXT } from '../../../shared/i18n/de-errors.js';
import { DE_PHASE_LABELS } from '../../../shared/i18n/de-phase-labels.js';
import { DE_PROBLEM_TEXT } from '../../../shared/i18n/de-problems.js';
import type { IpcError } from '../../../shared/ipc.js';
import { PHASE_LABELS, type PhaseLabel } from '../../../shared/phase-labels.js';
import { PROBLEM_TEXT, type ProblemCode } from '../../../shared/problems.js';
import type { ProgressPhase } from '../../../shared/progress.js';
import { useLanguage } from './I18nRoot.js';
import type { AppLocale } from './locales.js';
import { pseudoText } from './pseudo.js';

export interface SharedText {
  /** A problem's message (the code's text and what this occurrence adds). */
  problemMessage: (problem: { code: ProblemCode; message: string }) => string;
  problemAction: (code: ProblemCode) => string;
  /** A problem code's own message, without what any occurrence adds. */
  problemBase: (code: ProblemCode) => string;
  /** An error's message (the code's text and its detail). */
  errorMessage: (error: Pick<IpcError, 'code' | 'message' | 'detail'>) => string;
  errorAction: (code: ErrorCode) => string;
  phase: (phase: ProgressPhase) => PhaseLabel;
}

/** What a message adds to its code's English text: the rest after that text, or the whole when it does not start with it. */
export function occurrenceDetail(message: string, base: string, detail?: string): string {
  if (detail !== undefined) return detail;
  if (message === base) return '';
  return message.startsWith(base) ? message.slice(base.length).trim() : message;
}

const joined = (message: string, detail: string): string => (detail === '' ? message : `${message} ${detail}`);

const ENGLISH: SharedText = {
  problemMessage: (p) => p.message,
  problemAction: (code) => PROBLEM_TEXT[code].action,
  problemBase: (code) => PROBLEM_TEXT[code].message,
  errorMessage: (e) => e.message,
  errorAction: (code) => ERROR_ACTIONS[code],
  phase: (phase) => PHASE_LABELS[phase],
};

const GERMAN: SharedText = {
  problemMessage: (p) => joined(DE_PROBLEM_TEXT[p.code].message, occurrenceDetail(p.message, PROBLEM_TEXT[p.code].message)),
  problemAction: (code) => DE_PROBLEM_TEXT[code].action,
  problemBase: (code) => DE_PROBLEM_TEXT[code].message,
  errorMessage: (e) => joined(DE_ERROR_TEXT[e.code].message, occurrenceDetail(e.message, ERROR_CODES[e.code].message, e.detail)),
  errorAction: (code) => DE_ERROR_TEXT[code].action,
  phase: (phase) => DE_PHASE_LABELS[phase],
};

const PSEUDO: SharedText = {
  problemMessage: (p) => pseudoText(ENGLISH.problemMessage(p)),
  problemAction: (code) => pseudoText(ENGLISH.problemAction(code)),
  problemBase: (code) => pseudoText(ENGLISH.problemBase(code)),
  errorMessage: (e) => pseudoText(ENGLISH.errorMessage(e)),
  errorAction: (code) => pseudoText(ENGLISH.errorAction(code)),
  phase: (phase) => {
    const label = PHASE_LABELS[phase];
    return { short: pseudoText(label.short), title: pseudoText(label.title), detail: pseudoText(label.detail) };
  },
};

export function sharedText(locale: AppLocale): SharedText {
  switch (locale) {
    case 'en':
      return ENGLISH;
    case 'de':
      return GERMAN;
    case 'en-XA':
      return PSEUDO;
  }
}

export function useSharedText(): SharedText {
  const { locale } = useLanguage();
  return useMemo(() => sharedText(locale), [locale]);
}

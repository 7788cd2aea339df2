/**
 * The German texts of shared/ (problem codes, error codes, progress phases) cover every code, say
 * something of their own, name no CLI flag (like the English ones: the app shows them), and the
 * app puts them together with what core added to the English message, keeping the code's facts.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_ACTIONS } from '../../../../shared/error-actions.js';
import { ERROR_CODES, type ErrorCode } from '../../../../shared/errors.js';
import { DE_ERROR_TEXT } from '../../../../shared/i18n/de-errors.js';
import { DE_PHASE_LABELS } from '../../../../shared/i18n/de-phase-labels.js';
import { DE_PROBLEM_TEXT } from '../../../../shared/i18n/de-problems.js';
import { PHASE_LABELS } from '../../../../shared/phase-labels.js';
import { problem, PROBLEM_CODES, PROBLEM_TEXT } from '../../../../shared/problems.js';
import { PROGRESS_PHASES } from '../../../../shared/progress.js';
import { occurrenceDetail, sharedText } from '../../../../renderer/src/i18n/shared-text.js';

const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];
const CLI_FLAG = /(^|\s)--[a-z]/u;

describe('German texts for shared codes', () => {
  it('give every problem code a German message and next step', () => {
    expect(Object.keys(DE_PROBLEM_TEXT).sort()).toEqual([...PROBLEM_CODES].sort());
    for (const code of PROBLEM_CODES) {
      const text = DE_PROBLEM_TEXT[code];
      expect(text.message.length, code).toBeGreaterThan(20);
      expect(text.action.length, code).toBeGreaterThan(20);
      expect(text.message, code).not.toBe(PROBLEM_TEXT[code].message);
      expect(text.action, code).not.toBe(PROBLEM_TEXT[code].action);
      expect(`${text.message} ${text.action}`, code).not.toMatch(CLI_FLAG);
    }
  });

  it('give every error code a German message and next step', () => {
    expect(Object.keys(DE_ERROR_TEXT).sort()).toEqual([...ERROR_CODE_LIST].sort());
    for (const code of ERROR_CODE_LIST) {
      const text = DE_ERROR_TEXT[code];
      expect(text.message, code).not.toBe(ERROR_CODES[code].message);
      expect(text.action, code).not.toBe(ERROR_ACTIONS[code]);
      expect(`${text.message} ${text.action}`, code).not.toMatch(CLI_FLAG);
    }
  });

  it('give every progress phase German words', () => {
    expect(Object.keys(DE_PHASE_LABELS).sort()).toEqual([...PROGRESS_PHASES].sort());
    for (const phase of PROGRESS_PHASES) expect(DE_PHASE_LABELS[phase].title, phase).not.toBe(PHASE_LABELS[phase].title);
  });
});

describe('what the app shows for a problem or an error', () => {
  const german = sharedText('de');
  const english = sharedText('en');

  it('keeps what core added to the code’s message, after the German message', () => {
    const p = problem('CHECKSUM_MISMATCH', 'Expected sha256 0a1b, found 9f8e.', 'data/q3.txt');
    expect(english.problemMessage(p)).toBe(p.message);
    expect(german.problemMessage(p)).toBe(`${DE_PROBLEM_TEXT.CHECKSUM_MISMATCH.message} Expected sha256 0a1b, found 9f8e.`);
    expect(german.problemMessage(problem('REPLAY'))).toBe(DE_PROBLEM_TEXT.REPLAY.message);
  });

  it('takes an error’s detail field, or what follows the English message, or the whole message when it is another text', () => {
    const base = ERROR_CODES.NO_SPACE.message;
    expect(german.errorMessage({ code: 'NO_SPACE', message: `${base} 12 MB more needed.`, detail: '12 MB more needed.' })).toBe(
      `${DE_ERROR_TEXT.NO_SPACE.message} 12 MB more needed.`,
    );
    expect(german.errorMessage({ code: 'NO_SPACE', message: `${base} at /media/x` })).toBe(`${DE_ERROR_TEXT.NO_SPACE.message} at /media/x`);
    expect(occurrenceDetail('something else entirely', base)).toBe('something else entirely');
    expect(german.errorAction('NO_SPACE')).toBe(DE_ERROR_TEXT.NO_SPACE.action);
    expect(english.errorAction('NO_SPACE')).toBe(ERROR_ACTIONS.NO_SPACE);
  });

  it('marks the shared English texts in the pseudo-locale', () => {
    const pseudo = sharedText('en-XA');
    expect(pseudo.problemAction('REPLAY')).toMatch(/^⟦.*⟧$/su);
    expect(pseudo.errorMessage({ code: 'INTERNAL', message: ERROR_CODES.INTERNAL.message })).toMatch(/^⟦.*⟧$/su);
    expect(pseudo.phase('hashing').title).toMatch(/^⟦.*⟧$/su);
  });
});

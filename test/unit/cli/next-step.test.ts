/**
 * The CLI's hint table: where the CLI's next step differs from the shared one it names flags and
 * commands, and every one it names exists in the commander definitions (derived from the
 * program, so a renamed flag fails here, not in front of an operator). Hints keyed by data
 * apply only to errors carrying that data.
 */
import { describe, expect, it } from 'vitest';
import { CLI_HINTS, CLI_PROBLEM_HINTS, cliNextStep, cliProblemNextStep } from '../../../electron/cli/next-step.js';
import { ERROR_ACTIONS } from '../../../shared/error-actions.js';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';
import { PROBLEM_TEXT } from '../../../shared/problems.js';
import { cliSurface, commandsNamedIn, flagsNamedIn } from '../../helpers/cli-program.js';

const surface = cliSurface();
const hintTexts: Array<[string, string]> = [
  ...CLI_HINTS.map((h): [string, string] => [`${h.code}${h.when ? ` ${JSON.stringify(h.when)}` : ''}`, h.next]),
  ...Object.entries(CLI_PROBLEM_HINTS).map(([code, next]): [string, string] => [code, next ?? '']),
];

describe('the derived CLI surface', () => {
  it('holds the flags and commands the program defines (the derivation itself works)', () => {
    for (const flag of ['--home', '--json', '--passphrase-file', '--dest', '--allow-replay', '--to-media', '--signer', '--list-staged', '--help'])
      expect(surface.flags).toContain(flag);
    for (const command of ['verify', 'keys trust', 'keys generate', 'media verify', 'export']) expect(surface.commands).toContain(command);
    expect(surface.flags).not.toContain('--no-such-flag');
  });

  it('the scanners find flags and commands, and skip the options of other programs', () => {
    expect(flagsNamedIn('Pass --passphrase-file FILE, or --to-media ID1,ID2')).toEqual(['--passphrase-file', '--to-media']);
    expect(flagsNamedIn('(airlock keys export-public, or gpg --export --armor) and ls -ld PATH')).toEqual([]);
    expect(commandsNamedIn('run airlock keys generate --name N, then airlock verify B')).toEqual(['keys generate', 'verify']);
  });
});

describe('every CLI hint names flags and commands that exist', () => {
  it.each(hintTexts)('%s', (_key, text) => {
    expect(text.length).toBeGreaterThan(0);
    for (const flag of flagsNamedIn(text)) expect(surface.flags, `${flag} in "${text}"`).toContain(flag);
    for (const mention of commandsNamedIn(text)) {
      const [group, sub] = mention.split(' ');
      expect(surface.commands, `airlock ${mention} in "${text}"`).toContain(group);
      // A command group (keys, media, audit) is always named with its subcommand.
      const isGroup = [...surface.commands].some((c) => c.startsWith(`${group} `));
      if (isGroup) expect(surface.commands, `airlock ${mention} in "${text}"`).toContain(`${group} ${sub}`);
    }
  });

  it('hints exist only for codes that exist, and each says something the shared action does not', () => {
    for (const hint of CLI_HINTS) {
      expect(Object.keys(ERROR_CODES)).toContain(hint.code);
      expect(hint.next).not.toBe(ERROR_ACTIONS[hint.code]);
    }
    for (const code of Object.keys(CLI_PROBLEM_HINTS)) expect(Object.keys(PROBLEM_TEXT)).toContain(code);
  });
});

describe('cliNextStep chooses by code and data', () => {
  it('falls back to the shared action where the CLI has nothing of its own', () => {
    const plain = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => !CLI_HINTS.some((h) => h.code === code));
    expect(plain.length).toBeGreaterThan(0);
    for (const code of plain) expect(cliNextStep({ code })).toBe(ERROR_ACTIONS[code]);
  });

  it('a hint keyed by data applies only with that data', () => {
    const generic = cliNextStep({ code: 'NOT_FOUND' });
    const staged = cliNextStep({ code: 'NOT_FOUND', data: { reason: 'no-staged-export' } });
    expect(staged).toContain('airlock export --list-staged');
    expect(generic).not.toContain('--list-staged');
    expect(cliNextStep({ code: 'NOT_FOUND', data: { reason: 'something-else' } })).toBe(generic);
    expect(cliNextStep({ code: 'HOME_INVALID' })).toBe(ERROR_ACTIONS.HOME_INVALID);
    expect(cliNextStep({ code: 'HOME_INVALID', data: { reason: 'home-place' } })).toContain('--home DIR');
  });

  it('fills {key} from data, and uses the hint without it when the data is missing', () => {
    expect(cliNextStep({ code: 'BUNDLE_IS_FOLDER', data: { folder: '/media/usb' } })).toMatch(/airlock media verify \/media\/usb$/u);
    expect(cliNextStep({ code: 'BUNDLE_IS_FOLDER' })).toContain('airlock media verify FOLDER');
    expect(cliNextStep({ code: 'USAGE', data: { command: 'airlock keys trust' } })).toBe(
      'Run "airlock keys trust --help" to see what it takes, then try again.',
    );
    expect(cliNextStep({ code: 'USAGE' })).not.toContain('{');
  });

  it('a problem’s next step names the CLI override where the shared one cannot', () => {
    expect(cliProblemNextStep('REPLAY')).toContain('--allow-replay');
    expect(PROBLEM_TEXT.REPLAY.action).not.toContain('--');
    expect(cliProblemNextStep('SIGNATURE_INVALID')).toBe(PROBLEM_TEXT.SIGNATURE_INVALID.action);
  });
});

/** `npm run fault` options: --help is a usage text, a wrong option one line (run-harness.ts exits 2 on it), never a stack trace. */
import { describe, expect, it } from 'vitest';
import { parseHarnessArgs } from './harness-args.js';
import { SCENARIOS } from './run-scenarios.js';

describe('fault harness options', () => {
  it('--help and -h give the usage text naming every scenario', () => {
    for (const flag of ['--help', '-h']) {
      const parsed = parseHarnessArgs([flag]);
      expect(parsed.kind).toBe('help');
      if (parsed.kind !== 'help') continue;
      expect(parsed.text).toMatch(/^Usage: npm run fault -- \[options\]/u);
      for (const scenario of SCENARIOS) expect(parsed.text).toContain(scenario);
    }
  });

  it('an unknown option, an unknown scenario or a bad number is one line naming it', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--tirals', '3'], /^Unknown option '--tirals'\. See npm run fault -- --help\.$/u],
      [['--scenarios', 'kill-import,nope'], /^unknown scenario nope; known: kill-import, /u],
      [['--trials', '0'], /^--trials must be an integer >= 1, not '0'$/u],
      [['--seed', 'x'], /^--seed must be an integer >= 0, not 'x'$/u],
      [['stray'], /^Unexpected argument 'stray'/u],
    ];
    for (const [argv, message] of cases) {
      const parsed = parseHarnessArgs(argv);
      expect(parsed.kind, argv.join(' ')).toBe('error');
      if (parsed.kind === 'error') {
        expect(parsed.message).toMatch(message);
        expect(parsed.message).not.toContain('\n');
      }
    }
  });

  it('the defaults and given values', () => {
    expect(parseHarnessArgs([], 123_456)).toEqual({
      kind: 'run',
      options: { trials: 20, seed: 23_456, files: 8, fileMiB: 4, scenarios: [...SCENARIOS], keep: false },
    });
    const parsed = parseHarnessArgs(['--trials', '3', '--seed', '7', '--scenarios', 'kill-watch,full-disk-import-home', '--keep']);
    expect(parsed).toMatchObject({ kind: 'run', options: { trials: 3, seed: 7, scenarios: ['kill-watch', 'full-disk-import-home'], keep: true } });
  });
});

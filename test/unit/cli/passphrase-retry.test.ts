/**
 * A wrong passphrase typed at the terminal may be typed again, three tries in all (like gpg);
 * from --passphrase-file there is one try (a script does not retype), and without a terminal
 * nothing is asked.
 */
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../../electron/core/index.js';
import { obtainPassphrase, PASSPHRASE_TRIES } from '../../../electron/cli/passphrase.js';
import { fakeTerminal } from '../../helpers/fake-terminal.js';

const RIGHT = 'the right one';

/** A check that accepts only RIGHT, counting how often it was asked. */
function checker(): { check: (p: string) => Promise<void>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    check: async (p) => {
      calls.push(p);
      if (p !== RIGHT) throw new AirlockError('PASSPHRASE_WRONG');
    },
  };
}

describe('passphrase retries on a terminal', () => {
  it('asks again after a wrong passphrase and returns the right one on the third try', async () => {
    const terminal = fakeTerminal(['wrong 1', 'wrong 2', RIGHT]);
    const { check, calls } = checker();
    await expect(obtainPassphrase(terminal.io, undefined, { check })).resolves.toBe(RIGHT);
    expect(calls).toEqual(['wrong 1', 'wrong 2', RIGHT]);
    expect(terminal.prompts).toEqual(['Passphrase: ', 'Passphrase: ', 'Passphrase: ']);
    expect(terminal.stderr()).toContain('Wrong passphrase; 2 tries left.');
    expect(terminal.stderr()).toContain('Wrong passphrase; 1 try left.');
  });

  it('gives up after three wrong tries with PASSPHRASE_WRONG, asking no fourth time', async () => {
    expect(PASSPHRASE_TRIES).toBe(3);
    const terminal = fakeTerminal(['a', 'b', 'c', RIGHT]);
    const { check, calls } = checker();
    const error = await obtainPassphrase(terminal.io, undefined, { check }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('PASSPHRASE_WRONG');
    expect((error as AirlockError).message).toContain('3 wrong tries');
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(terminal.prompts).toHaveLength(3);
  });

  it('does not retry other failures (a missing key is not a typing mistake)', async () => {
    const terminal = fakeTerminal(['x', RIGHT]);
    const check = async (): Promise<void> => {
      throw new AirlockError('NO_STATION_KEY');
    };
    await expect(obtainPassphrase(terminal.io, undefined, { check })).rejects.toMatchObject({ code: 'NO_STATION_KEY' });
    expect(terminal.prompts).toHaveLength(1);
  });

  it('asks nothing without a terminal: PASSPHRASE_REQUIRED, the check never runs', async () => {
    const terminal = fakeTerminal([RIGHT]);
    terminal.io.stdin.isTTY = false;
    const { check, calls } = checker();
    await expect(obtainPassphrase(terminal.io, undefined, { check })).rejects.toMatchObject({ code: 'PASSPHRASE_REQUIRED' });
    expect(calls).toEqual([]);
    expect(terminal.prompts).toEqual([]);
  });
});

/**
 * terminal-escape-injection at the CLI's last guards: write() (every report line and every --json
 * document goes through it) and the error path (the error, its cause with --verbose, the --json
 * error). A value a command forgot to pass through displayText must still not reach the terminal
 * as an escape sequence, a CR or a bidi control, and JSON must stay exact.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { reportFailure } from '../../../electron/cli/context.js';
import { write, type CliIo } from '../../../electron/cli/io.js';
import { AirlockError } from '../../../electron/core/index.js';
import { hostileText, UNSAFE_IN_VALUE, UNSAFE_ON_TERMINAL } from '../../helpers/hostile-text.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('write(): the last guard of stdout and stderr', () => {
  it('a raw value in a report line: no escape sequence, CR or bidi control reaches the stream, the lines stay the lines', () => {
    for (let seed = 7300; seed < 7300 + 500; seed += 1) {
      const out = capture();
      const value = hostileText(seed);
      write(out.stream, `REJECTED  ${value}\n  next line`);
      const text = out.text();
      expect(UNSAFE_ON_TERMINAL.test(text), `seed ${seed}: ${JSON.stringify(text)}`).toBe(false);
      expect(text.split('\n').length).toBe(value.split('\n').length + 2);
    }
  });

  it('--json text: the document parses back to the exact value and holds no raw C1, bidi or zero-width character', () => {
    for (let seed = 7900; seed < 7900 + 500; seed += 1) {
      const out = capture();
      const value = { ok: true, name: hostileText(seed) };
      write(out.stream, JSON.stringify(value));
      const text = out.text();
      expect(UNSAFE_IN_VALUE.test(text.slice(0, -1)), `seed ${seed}: ${text}`).toBe(false);
      expect(JSON.parse(text)).toEqual(value);
    }
  });

  it('a space before U+2028 or U+2029 in a --json value is kept (the trailing-space tidy must not see them as line ends)', () => {
    const out = capture();
    const value = { ok: true, name: 'a \u2028b\t\u2029c  \u2028' };
    write(out.stream, JSON.stringify(value));
    expect(JSON.parse(out.text())).toEqual(value);
  });
});

describe('reportFailure: the error, its cause and the --json error', () => {
  it('a cause quoting a hostile file name (shown with --verbose) and an error naming it are escaped; the --json error is exact', () => {
    const name = 'x\u001b]0;pwned\u0007\r\u001b[2KOK verified\u202e\u200b';
    const cause = new Error(`ENOENT: no such file, open '${name}'`);
    const error = new AirlockError('NOT_FOUND', `No file ${name}.`, { cause });
    const stdout = capture();
    const stderr = capture();
    const io = { stdout: stdout.stream, stderr: stderr.stream, env: {} } as unknown as CliIo;
    reportFailure(io, error, true, true);
    expect(UNSAFE_ON_TERMINAL.test(stderr.text()), JSON.stringify(stderr.text())).toBe(false);
    expect(stderr.text()).toContain("cause: ENOENT: no such file, open 'x\\u001b]0;pwned\\u0007\\r\\u001b[2KOK verified\\u202e\\u200b'");
    expect(UNSAFE_IN_VALUE.test(stdout.text().slice(0, -1))).toBe(false);
    expect((JSON.parse(stdout.text()) as { error: { message: string } }).error.message).toContain(`No file ${name}.`);
  });
});

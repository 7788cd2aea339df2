import { readFile } from 'node:fs/promises';
import { AirlockError, toAirlockError } from '../core/index.js';
import type { CliIo } from './io.js';

/** The first line of the file: a trailing newline from an editor or `echo` is not part of the passphrase. */
export async function readPassphraseFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw toAirlockError(error, file);
  }
  const passphrase = text.split(/\r?\n/u)[0] ?? '';
  if (passphrase.length === 0) throw new AirlockError('PASSPHRASE_REQUIRED', `${file} is empty.`);
  return passphrase;
}

/** Ask on the terminal without echo. Ctrl-C cancels. */
export function promptHidden(io: CliIo, question: string): Promise<string> {
  const { stdin } = io;
  if (!stdin.isTTY || !stdin.setRawMode) return Promise.reject(new AirlockError('PASSPHRASE_REQUIRED'));
  io.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error): void => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new AirlockError('CANCELLED'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
  });
}

export async function obtainPassphrase(io: CliIo, file: string | undefined, options: { confirm?: boolean } = {}): Promise<string> {
  if (file !== undefined) return readPassphraseFile(file);
  if (!io.stdin.isTTY) throw new AirlockError('PASSPHRASE_REQUIRED');
  const first = await promptHidden(io, 'Passphrase: ');
  if (first.length === 0) throw new AirlockError('PASSPHRASE_REQUIRED', 'The passphrase may not be empty.');
  if (options.confirm) {
    const second = await promptHidden(io, 'Repeat passphrase: ');
    if (second !== first) throw new AirlockError('USAGE', 'The two passphrases differ.');
  }
  return first;
}

/** A visible answer typed on the terminal (a fingerprint, a confirmation). */
export function promptLine(io: CliIo, question: string): Promise<string> {
  const { stdin } = io;
  if (!stdin.isTTY) return Promise.reject(new AirlockError('USAGE', 'This needs an answer on a terminal.'));
  io.stderr.write(question);
  stdin.resume();
  return new Promise((resolve) => {
    let value = '';
    const onData = (data: Buffer): void => {
      value += data.toString('utf8');
      const newline = value.search(/\r|\n/u);
      if (newline < 0) return;
      stdin.off('data', onData);
      stdin.pause();
      resolve(value.slice(0, newline));
    };
    stdin.on('data', onData);
  });
}

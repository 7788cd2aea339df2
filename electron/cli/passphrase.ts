import { AirlockError, readRegularFile, toAirlockError } from '../core/index.js';
import { readStdin, write, type CliIo } from './io.js';

/**
 * The first line of the file (`-`: of stdin): a trailing newline from an editor or `echo` is not
 * part of the passphrase.
 */
export async function readPassphraseFile(file: string, io?: CliIo): Promise<string> {
  let text: string;
  if (file === '-' && io) {
    if (io.stdin.isTTY)
      throw new AirlockError('USAGE', '--passphrase-file - reads the passphrase from a pipe; on a terminal leave the option out to be asked without echo.');
    text = (await readStdin(io, 64 * 1024, 'the passphrase')).toString('utf8');
  } else {
    try {
      // Never a blocking open: a FIFO, socket or device is NOT_A_FILE at once.
      text = await readRegularFile(file, 'utf8');
    } catch (error) {
      throw toAirlockError(error, file);
    }
  }
  const passphrase = text.split(/\r?\n/u)[0] ?? '';
  if (passphrase.length === 0) throw new AirlockError('PASSPHRASE_REQUIRED', `${file === '-' ? 'stdin' : file} is empty.`);
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

/** Like gpg: a wrong passphrase typed at the terminal may be typed again, this many times in all. */
export const PASSPHRASE_TRIES = 3;

export interface PassphraseOptions {
  /** Ask twice and compare (a new passphrase). */
  confirm?: boolean;
  /** Proves a typed passphrase (throws PASSPHRASE_WRONG): a wrong one is asked for again. */
  check?: (passphrase: string) => Promise<unknown>;
  question?: string;
}

/**
 * The passphrase from --passphrase-file (one try: a script does not retype), else typed on the
 * terminal, where a wrong one may be retyped up to PASSPHRASE_TRIES times in all.
 */
export async function obtainPassphrase(io: CliIo, file: string | undefined, options: PassphraseOptions = {}): Promise<string> {
  // From a file: not checked here; the operation itself says PASSPHRASE_WRONG (a script does not retype).
  if (file !== undefined) return readPassphraseFile(file, io);
  if (!io.stdin.isTTY) throw new AirlockError('PASSPHRASE_REQUIRED');
  for (let attempt = 1; ; attempt += 1) {
    const typed = await promptHidden(io, options.question ?? 'Passphrase: ');
    if (typed.length === 0) throw new AirlockError('PASSPHRASE_REQUIRED', 'The passphrase may not be empty.');
    if (options.confirm) {
      const second = await promptHidden(io, 'Repeat passphrase: ');
      if (second !== typed) throw new AirlockError('USAGE', 'The two passphrases differ.');
    }
    try {
      await options.check?.(typed);
      return typed;
    } catch (error) {
      if (!(error instanceof AirlockError) || error.code !== 'PASSPHRASE_WRONG') throw error;
      if (attempt >= PASSPHRASE_TRIES) throw new AirlockError('PASSPHRASE_WRONG', `${PASSPHRASE_TRIES} wrong tries.`, { cause: error });
      const left = PASSPHRASE_TRIES - attempt;
      io.stderr.write(`Wrong passphrase; ${left} ${left === 1 ? 'try' : 'tries'} left.\n`);
    }
  }
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

/** A passphrase only signs the receipt here (import, media verify); on a terminal the operator may press Enter to skip. */
export async function optionalPassphrase(
  io: CliIo,
  file: string | undefined,
  hasKey: boolean,
  check: (passphrase: string) => Promise<void>,
): Promise<string | undefined> {
  if (file !== undefined) return readPassphraseFile(file, io);
  if (!hasKey || !io.stdin.isTTY) return undefined;
  for (let attempt = 1; ; attempt += 1) {
    const typed = await promptHidden(io, 'Station key passphrase to sign the receipt (Enter to skip): ');
    if (typed.length === 0) return undefined;
    try {
      await check(typed);
      return typed;
    } catch (error) {
      if (!(error instanceof AirlockError) || error.code !== 'PASSPHRASE_WRONG' || attempt >= PASSPHRASE_TRIES) throw error;
      write(io.stderr, `Wrong passphrase; ${PASSPHRASE_TRIES - attempt === 1 ? '1 try' : `${PASSPHRASE_TRIES - attempt} tries`} left (Enter skips signing).`);
    }
  }
}

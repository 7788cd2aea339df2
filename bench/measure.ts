/**
 * One measured step = one command under GNU time. /usr/bin/time measures every tool the same
 * way (wall clock and peak RSS of the largest process in the tree it waited for), whether the
 * step is node, a C tool or a bash pipeline; timing from inside node would favour nobody but
 * would not give peak RSS for the standard tools.
 */
import { readFile, rm } from 'node:fs/promises';
import { exitStatus, run, type Command, type RunOptions } from './proc.js';

export const TIME_BIN = '/usr/bin/time';

export interface Measurement {
  seconds: number;
  /** Peak resident set size in KiB (GNU time's %M). */
  maxRssKiB: number;
  stdout: string;
}

/**
 * Runs argv under `/usr/bin/time -f '%e %M' -o timeFile`. The figures go to their own file so
 * they cannot mix with whatever the command prints on stderr. A non-zero exit is an error: a
 * failing step's time measures nothing useful.
 */
export async function measure(command: Command, timeFile: string, options: Pick<RunOptions, 'onStderr'> = {}): Promise<Measurement> {
  await rm(timeFile, { force: true });
  const result = await run({ argv: [TIME_BIN, '-f', '%e %M', '-o', timeFile, '--', ...command.argv], cwd: command.cwd }, options);
  if (result.code !== 0) {
    // --json commands report their reasons on stdout; show whichever stream has something.
    const detail = (result.stderr.trim() || result.stdout.trim()).slice(-4000);
    throw new Error(`${command.argv[0]} failed (${exitStatus(result)}):\n${detail}`);
  }
  // GNU time may prepend lines such as "Command exited with non-zero status"; the figures are last.
  const lines = (await readFile(timeFile, 'utf8')).trim().split('\n');
  const match = /^(\d+(?:\.\d+)?) (\d+)$/u.exec(lines.at(-1) ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`Could not read ${TIME_BIN} output in ${timeFile}: ${lines.join(' | ')}`);
  return { seconds: Number(match[1]), maxRssKiB: Number(match[2]), stdout: result.stdout };
}

/**
 * An import timed with its progress line watched: the command runs with `--progress` (the line
 * is drawn on stderr although it is not a terminal) and every piece of stderr is stamped as it
 * arrives. The longest stall is the longest stretch with nothing drawn: from the start to the
 * first draw, between two draws, or from the last draw to the end (issue #18: never over 2 s).
 * Start-up and the final report are inside it too, as an operator watching the line sees them.
 */
import { measure, type Measurement } from './measure.js';
import type { Command } from './proc.js';

export interface StallMeasurement extends Measurement {
  /** Seconds of the longest stretch without a progress draw. */
  longestStallSeconds: number;
  /** How many times the line was drawn. */
  draws: number;
  /** The line drawn just before the longest stall ('start' when it was the first draw that was late): where the time went. */
  stalledAfter: string;
}

/** The last line drawn in a chunk of stderr (the text after its last carriage return), trimmed. */
function lastDraw(chunk: Buffer): string {
  const text = chunk.toString('utf8');
  const parts = text.split('\r').filter((part) => part.trim() !== '');
  return (parts.at(-1) ?? '').trim().slice(0, 120);
}

/** `command` must print its progress line on stderr when given --progress (airlock export/verify/import do). */
export async function measureWithStalls(command: Command, timeFile: string): Promise<StallMeasurement> {
  const stamps: number[] = [];
  const lines: string[] = [];
  const started = performance.now();
  const m = await measure({ ...command, argv: [...command.argv, '--progress'] }, timeFile, {
    // The line is redrawn with a carriage return; a chunk holding one is a draw.
    onStderr: (chunk) => {
      if (!chunk.includes(13)) return;
      stamps.push(performance.now());
      lines.push(lastDraw(chunk));
    },
  });
  const ended = performance.now();
  let longest = 0;
  let stalledAfter = 'start';
  let last = started;
  let lastLine = 'start';
  [...stamps, ended].forEach((at, i) => {
    if (at - last > longest) {
      longest = at - last;
      stalledAfter = lastLine;
    }
    last = at;
    lastLine = lines[i] ?? 'end';
  });
  return { ...m, longestStallSeconds: longest / 1000, draws: stamps.length, stalledAfter };
}

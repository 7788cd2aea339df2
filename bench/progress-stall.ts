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
}

/** `command` must print its progress line on stderr when given --progress (airlock export/verify/import do). */
export async function measureWithStalls(command: Command, timeFile: string): Promise<StallMeasurement> {
  const stamps: number[] = [];
  const started = performance.now();
  const m = await measure({ ...command, argv: [...command.argv, '--progress'] }, timeFile, {
    // The line is redrawn with a carriage return; a chunk holding one is a draw.
    onStderr: (chunk) => {
      if (chunk.includes(13)) stamps.push(performance.now());
    },
  });
  const ended = performance.now();
  let longest = 0;
  let last = started;
  for (const at of [...stamps, ended]) {
    longest = Math.max(longest, at - last);
    last = at;
  }
  return { ...m, longestStallSeconds: longest / 1000, draws: stamps.length };
}

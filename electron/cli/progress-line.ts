import { displayText } from '../../shared/display-text.js';
import { formatDuration, formatSize } from '../../shared/format.js';
import { PHASE_LABELS } from '../../shared/phase-labels.js';
import { countUnit, type Progress, type ProgressListener } from '../../shared/progress.js';
import type { CliIo } from './io.js';

export function renderProgress(progress: Progress): string {
  const parts = [PHASE_LABELS[progress.phase].short];
  // The image being pushed or pulled (`repository:tag`): names from a bundle, made safe to print.
  if (progress.item !== undefined) parts.push(displayText(progress.item));
  if (progress.bytesTotal !== null && progress.bytesTotal > 0) {
    const percent = Math.min(100, Math.floor((progress.bytesDone / progress.bytesTotal) * 100));
    parts.push(`${formatSize(progress.bytesDone)} / ${formatSize(progress.bytesTotal)} (${percent}%)`);
  } else if (progress.bytesDone > 0) {
    parts.push(formatSize(progress.bytesDone));
  }
  // What the phase counts: files, or events for the audit chain's walk.
  const unit = countUnit(progress.phase);
  const units = (n: number): string => (n === 1 ? unit : `${unit}s`);
  // A phase over no files (the one-pass export's tag files: files total 0) says nothing with "0/0 files".
  if (progress.filesTotal !== null && progress.filesTotal > 0) parts.push(`${progress.filesDone}/${progress.filesTotal} ${units(progress.filesTotal)}`);
  // A count with no total yet (the export's scan): how far it got is what shows it is moving.
  else if (progress.filesDone > 0) parts.push(`${progress.filesDone} ${units(progress.filesDone)}`);
  if (progress.rateBytesPerSecond !== null) parts.push(`${formatSize(progress.rateBytesPerSecond)}/s`);
  // A phase counted in items reads no bytes: its rate is items per second, whole ones.
  else if (progress.itemsPerSecond != null) parts.push(`${Math.round(progress.itemsPerSecond)} ${unit}s/s`);
  const eta = formatDuration(progress.etaSeconds);
  if (eta) parts.push(`ETA ${eta}`);
  return parts.join('  ');
}

/** A single self-overwriting status line on stderr, only when stderr is a terminal. */
export function progressLine(io: CliIo): { onProgress: ProgressListener | undefined; done: () => void } {
  if (!io.stderrIsTTY) return { onProgress: undefined, done: () => undefined };
  let shown = false;
  return {
    onProgress: (progress) => {
      shown = true;
      io.stderr.write(`\r\u001b[2K${renderProgress(progress)}`);
    },
    done: () => {
      if (shown) io.stderr.write('\r\u001b[2K');
    },
  };
}

/**
 * A line counting the seconds of a step that reports no progress of its own (making an RSA-4096
 * key takes seconds and says nothing until done), redrawn each second; only when stderr is a terminal.
 */
export function elapsedLine(io: CliIo, label: string, now: () => number = () => performance.now()): { done: () => void } {
  if (!io.stderrIsTTY) return { done: () => undefined };
  const started = now();
  const draw = (): void => {
    io.stderr.write(`\r\u001b[2K${label}  ${formatDuration((now() - started) / 1000)} elapsed`);
  };
  draw();
  const timer = setInterval(draw, 1000);
  // The step itself keeps the process alive; the line never does.
  timer.unref();
  return {
    done: () => {
      clearInterval(timer);
      io.stderr.write('\r\u001b[2K');
    },
  };
}

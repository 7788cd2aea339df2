/** Human-readable sizes, rates and durations, shared by the CLI and the UI. */

/** "1 file", "3 files", "1 medium"/"2 media": counts read as sentences. */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}

/** `bytes` in units of `step` (1000 or 1024), two decimals under 10 and one above. */
function scaled(bytes: number, step: number, units: readonly string[]): string {
  if (!Number.isFinite(bytes)) return '?';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= step && unit < units.length - 1) {
    value /= step;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Decimal units (KB, MB: powers of 1000), as the desktop app shows sizes. */
export function formatBytes(bytes: number): string {
  return scaled(bytes, 1000, ['B', 'KB', 'MB', 'GB', 'TB']);
}

/**
 * Sizes in binary units (KiB, MiB, GiB, TiB: powers of 1024), the units --part-size, --volume-size
 * and policy.json sizes are given in, so what the CLI prints can be typed back.
 */
export function formatSize(bytes: number): string {
  return scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']);
}

export function formatRate(bytesPerSecond: number | null): string {
  return bytesPerSecond === null ? '' : `${formatBytes(bytesPerSecond)}/s`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

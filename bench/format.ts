/**
 * What every section's report shares: targets and their PASS/MISS, the units, and the plain
 * text tables. Units: seconds; MB = 10^6 bytes for rates and RSS (so "200 MB" in a target means
 * 200,000,000 bytes); data sizes in binary units.
 */
export const MB = 1e6;

export interface Target {
  op: '>=' | '<=' | '<';
  limit: number;
}

export interface Ratio {
  id: string;
  label: string;
  /** null when a denominator was too small to measure (0.00 s at GNU time's resolution). */
  value: number | null;
  target: Target | null;
  pass: boolean | null;
}

export function meets(value: number, target: Target): boolean {
  return target.op === '>=' ? value >= target.limit : target.op === '<=' ? value <= target.limit : value < target.limit;
}

/** A checked value; a target whose value could not be measured is neither PASS nor (yet) MISS here: see allPass. */
export function ratio(id: string, label: string, value: number | null, target: Target | null): Ratio {
  return { id, label, value, target, pass: target === null || value === null ? null : meets(value, target) };
}

/** A target whose value could not be measured counts as missed: "no data" must not read as a pass. */
export function allPass(ratios: readonly Ratio[]): boolean {
  return ratios.every((r) => r.target === null || r.pass === true);
}

export function binarySize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${String(bytes)} bytes` : `${value.toFixed(value >= 100 ? 0 : 2)} ${units[unit] ?? ''}`;
}

export function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function describeTarget(t: Target | null): string {
  return t === null ? '-' : `${t.op} ${String(t.limit)}`;
}

/** The value/target/PASS-MISS table; `digits` says how to print each value. */
export function ratioTable(ratios: readonly Ratio[], header: string, digits: (r: Ratio) => number): string {
  return table(
    [header, 'value', 'target', 'result'],
    ratios.map((r) => [
      r.label,
      r.value === null ? 'n/a' : r.value.toFixed(digits(r)),
      describeTarget(r.target),
      r.target === null ? '' : r.pass === true ? 'PASS' : 'MISS',
    ]),
    [false, true, true, false],
  );
}

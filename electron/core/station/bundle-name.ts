/** `airlock-000042-20261128`: unique per station, sorts by sequence, safe on every file system. */
export function defaultBundleName(sequence: number, now: Date): string {
  return `airlock-${String(sequence).padStart(6, '0')}-${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

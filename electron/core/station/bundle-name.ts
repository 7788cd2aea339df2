import { join, resolve } from 'node:path';
import { BUNDLE_SUFFIX } from '../bundle/format.js';

/** The path a bundle named `name` is published at in `dir` (on media: the first volume's), as its export intent names it. */
export function bundlePathIn(dir: string, name: string): string {
  return join(resolve(dir), `${name}${BUNDLE_SUFFIX}`);
}

/** `airlock-000042-20261128`: unique per station, sorts by sequence, safe on every file system. */
export function defaultBundleName(sequence: number, now: Date): string {
  return `airlock-${String(sequence).padStart(6, '0')}-${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/**
 * openpgp.js, loaded on first use instead of when the program starts: evaluating it is about a
 * third of the CLI's start-up, which commands that never touch a key or a signature (keys list,
 * audit list, --help) should not pay (docs/design-notes.md, CLI start-up). Every value import
 * of 'openpgp' in core goes through here; type imports stay as they are (they vanish at build).
 * One module instance for all callers, so instanceof checks between keys and packets still hold.
 */
import type { Config } from 'openpgp';
import { OPENPGP_CONFIG } from './openpgp-config.js';

export type OpenPgp = typeof import('openpgp');

let loading: Promise<OpenPgp> | null = null;

export function openpgp(): Promise<OpenPgp> {
  loading ??= import('openpgp');
  return loading;
}

/** OPENPGP_CONFIG over openpgp.js's defaults, for the lower-level calls that take a complete configuration. */
export async function openpgpFullConfig(): Promise<Config> {
  const { config } = await openpgp();
  return { ...config, ...OPENPGP_CONFIG };
}

/**
 * The station key's algorithms (`keys generate --algorithm`, `keys rotate --algorithm`): shared so
 * core, the IPC contract and the app's key forms offer the same list. Apart from the key code so
 * the CLI can list them without loading it.
 */
export const KEY_ALGORITHMS = ['ed25519', 'rsa4096', 'p384'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** The station key's algorithms, apart from the key code so the CLI can list them without loading it. */
export const KEY_ALGORITHMS = ['ed25519', 'rsa4096', 'p384'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

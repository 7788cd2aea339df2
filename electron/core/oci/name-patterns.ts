// Apart from images-file.ts (zod schemas) so checking a registry option on the command line loads no schema.

/** A repository below the registry prefix: distribution's grammar (lower case path components). */
export const REPOSITORY_NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/u;
export const TAG_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/u;

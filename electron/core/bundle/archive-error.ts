/** Why the archive itself cannot be read safely; the caller maps it to a problem code. */
export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'unsafe-type' = 'corrupt',
    /** The entry's path inside the archive, when the refusal is about one entry (an unsafe type). */
    readonly path?: string,
    /** What an unsafe entry is ("of type symbolic link"), kept apart so the entry can be renamed without taking the message apart. */
    readonly entryType?: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

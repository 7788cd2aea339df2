/** Why the archive itself cannot be read safely; the caller maps it to a problem code. */
export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'unsafe-type' = 'corrupt',
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/**
 * The regions of a bundle written to a medium in one pass, as its read-back names the one that
 * differs (media/read-back/region-check.ts). The engine words a region in English for the CLI, the
 * error message and the audit log (`describeReadBackRegion`); the app words the same region in the
 * operator's language from these fields (renderer catalogue `mediaStep.readBackFailed.part.*`), so a
 * German operator does not read "the header of ..." in the middle of a German form.
 * The tag files' names are bundle format v1's fixed names (docs/bundle-format.md).
 */
export const READ_BACK_REGION_PARTS = [
  'tag-files-head',
  'manifest-header',
  'manifest',
  'manifest-padding',
  'tag-files-tail',
  'entry-header',
  'entry-payload',
  'entry-padding',
  'end-blocks',
  'past-end',
] as const;

export type ReadBackRegionPart = (typeof READ_BACK_REGION_PARTS)[number];

export interface ReadBackRegion {
  part: ReadBackRegionPart;
  /** The payload file's path in the bag (`data/...`), for the entry-* parts; null otherwise. */
  path: string | null;
  /** The file read back ended inside (or before) this region. */
  endsEarly?: boolean | undefined;
}

export function isReadBackRegionPart(value: unknown): value is ReadBackRegionPart {
  return typeof value === 'string' && (READ_BACK_REGION_PARTS as readonly string[]).includes(value);
}

/** The region in the engine's English words (the CLI's message, `differsIn` in reports and audit rows). */
export function describeReadBackRegion(region: ReadBackRegion): string {
  const words = partWords(region.part, region.path ?? '');
  return region.endsEarly ? `${words} (the file ends early)` : words;
}

function partWords(part: ReadBackRegionPart, path: string): string {
  switch (part) {
    case 'tag-files-head':
      return 'the tag files bagit.txt and bag-info.txt';
    case 'manifest-header':
      return 'the header of manifest-sha256.txt';
    case 'manifest':
      return 'manifest-sha256.txt (against the SHA-256 signed in the tag manifest)';
    case 'manifest-padding':
      return 'the padding of manifest-sha256.txt';
    case 'tag-files-tail':
      return 'the tag files tagmanifest-sha256.txt and tagmanifest-sha256.txt.asc';
    case 'entry-header':
      return `the header of ${path}`;
    case 'entry-payload':
      return `${path} (against its SHA-256 in the signed manifest)`;
    case 'entry-padding':
      return `the padding of ${path}`;
    case 'end-blocks':
      return 'the end-of-archive blocks';
    case 'past-end':
      return 'bytes past the end of the archive';
  }
}

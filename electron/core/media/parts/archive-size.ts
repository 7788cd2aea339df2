/**
 * The exact size of the archive writeArchive will produce, known once the sources are hashed:
 * each file's header block(s) as the writer encodes them, its data and padding, plus the two
 * end-of-archive blocks. Part names carry the part count, so it must be exact, not a bound.
 */
import type { TagFile } from '../../bundle/bag-tag-files.js';
import type { PreparedBundle } from '../../export/write-bundle.js';
import { archivedSize, END_OF_ARCHIVE } from '../../bundle/tar-header.js';

export function exactArchiveBytes(prepared: PreparedBundle, tagFiles: readonly TagFile[]): number {
  let total = END_OF_ARCHIVE.length;
  for (const tag of tagFiles) total += archivedSize({ path: `${prepared.name}/${tag.name}`, size: tag.bytes.length, mtime: prepared.createdAt });
  for (const file of prepared.payload) total += archivedSize({ path: `${prepared.name}/${file.bagPath}`, size: file.size, mtime: file.mtime });
  return total;
}

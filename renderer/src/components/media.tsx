/**
 * Removable media as the operator sees them: a name, the facts that matter (file system, free
 * space, where it is mounted, what it is), one radio per medium, and the messages for no
 * medium and for several. Every string here came from a disk or a device: displayText always.
 */
import { Alert, Group, Loader, Radio, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { displayText } from '../../../shared/display-text.js';
import { formatBytes } from '../../../shared/format.js';
import type { MediaVolumeView } from '../../../shared/ipc.js';
import type { ReadBackMethod } from '../../../shared/media.js';

/** What the operator calls the medium: its label, else its model, else where it is. */
export function mediumName(v: Pick<MediaVolumeView, 'label' | 'model' | 'mountPoint' | 'id'>): string {
  return displayText(v.label ?? v.model ?? v.mountPoint ?? v.id);
}

/** The name, plus where it is mounted when the name is not already that. */
export function mediumNameAndPlace(v: Pick<MediaVolumeView, 'label' | 'model' | 'mountPoint' | 'id'>): string {
  const name = mediumName(v);
  return v.mountPoint && displayText(v.mountPoint) !== name ? `${name} (${displayText(v.mountPoint)})` : name;
}

/** File system, size and free space, mount point, vendor and model: one line. */
export function mediumFacts(v: MediaVolumeView): string {
  const space = v.free === null ? 'free space unknown' : `${formatBytes(v.free)} free${v.size === null ? '' : ` of ${formatBytes(v.size)}`}`;
  const what = [v.vendor, v.model].filter((s): s is string => s !== null && s.trim() !== '').join(' ');
  return [
    v.filesystem ? displayText(v.filesystem) : 'file system unknown',
    space,
    v.mountPoint ? `at ${displayText(v.mountPoint)}` : 'not mounted',
    what ? displayText(what) : null,
    v.source === 'config' ? 'folder declared as a medium in config.json' : null,
    v.readOnly ? 'read-only' : null,
  ]
    .filter((s): s is string => s !== null)
    .join(' · ');
}

const FAT_RE = /^(?:vfat|fat|fat12|fat16|fat32|msdos|ms-dos.*)$/iu;
export function isFat(filesystem: string | null): boolean {
  return filesystem !== null && FAT_RE.test(filesystem.trim());
}
/** FAT32's largest file, and the largest part Airlock writes there. */
export const FAT_MAX_FILE_BYTES = 2 ** 32 - 1;

export function MediumRadio({ medium, disabled = false, notes = [] }: { medium: MediaVolumeView; disabled?: boolean; notes?: ReactNode[] }) {
  return (
    <Radio
      value={medium.id}
      disabled={disabled}
      label={<Text fw={600}>{mediumName(medium)}</Text>}
      description={
        <Stack gap={2} component="span">
          <Text span size="sm" c="dimmed">
            {mediumFacts(medium)}
          </Text>
          {notes.map((note, i) => (
            <Text span size="sm" key={i}>
              {note}
            </Text>
          ))}
        </Stack>
      }
    />
  );
}

/** Looking, none, one or several: said in words above the list. */
export function MediaCount({ media, purpose }: { media: MediaVolumeView[] | null; purpose: 'write' | 'read' }) {
  if (media === null) {
    return (
      <Group gap="xs" role="status">
        <Loader size="xs" aria-hidden />
        <Text size="sm">Looking for removable media…</Text>
      </Group>
    );
  }
  if (media.length === 0) {
    return (
      <Alert color="gray" title="No medium detected" role="status">
        <Text size="sm">
          Insert a USB stick, SD card or disk. It appears here within a few seconds once the system has mounted it. Disks that hold the system or this station
          are never offered.
          {purpose === 'write' ? ' Or choose a folder below.' : ' Or choose a bundle file below.'}
        </Text>
      </Alert>
    );
  }
  return (
    <Text size="sm" role="status">
      {media.length === 1 ? 'One medium detected.' : `${media.length} media detected: make sure you choose the right one.`} The list updates by itself when a
      medium is inserted or removed.
    </Text>
  );
}

/** How the bytes were read back, in the operator's words. */
export const READ_BACK_TEXT: Record<ReadBackMethod, string> = {
  'o-direct': 'direct reads (O_DIRECT) that bypass the page cache',
  'flushbufs+o-direct': 'the device’s buffers were dropped, then direct reads (O_DIRECT) that bypass the page cache',
  'fadvise-dontneed': 'the file’s cached pages were dropped before and while reading',
  remount: 'the medium was unmounted and mounted again, then read',
  buffered: 'an ordinary read: the page cache may have answered instead of the medium',
};

/**
 * Removable media as the operator sees them: a name, the facts that matter (file system, free
 * space, where it is mounted, what it is), one radio per medium, and the messages for no
 * medium and for several. Every string here came from a disk or a device: displayText always.
 */
import { Alert, Group, Loader, Radio, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { MediaVolumeView } from '../../../shared/ipc.js';
import type { ReadBackMethod } from '../../../shared/media.js';
import type { MessageId } from '../i18n/en.js';
import { useFormat, type LocalFormat } from '../i18n/format.js';
import { useT, type Translate } from '../i18n/useT.js';

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
export function mediumFacts(t: Translate, f: LocalFormat, v: MediaVolumeView): string {
  const space =
    v.free === null
      ? t('media.freeUnknown')
      : v.size === null
        ? t('media.free', { free: f.bytes(v.free) })
        : t('media.freeOf', { free: f.bytes(v.free), size: f.bytes(v.size) });
  const what = [v.vendor, v.model].filter((s): s is string => s !== null && s.trim() !== '').join(' ');
  return [
    v.filesystem ? displayText(v.filesystem) : t('media.fsUnknown'),
    space,
    v.mountPoint ? t('media.at', { mountPoint: displayText(v.mountPoint) }) : t('media.notMounted'),
    what ? displayText(what) : null,
    v.source === 'config' ? t('media.declared') : null,
    v.readOnly ? t('media.readOnly') : null,
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
  const t = useT();
  const f = useFormat();
  return (
    <Radio
      value={medium.id}
      disabled={disabled}
      label={<Text fw={600}>{mediumName(medium)}</Text>}
      description={
        <Stack gap={2} component="span">
          <Text span size="sm" c="dimmed">
            {mediumFacts(t, f, medium)}
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
  const t = useT();
  if (media === null) {
    return (
      <Group gap="xs" role="status">
        <Loader size="xs" aria-hidden />
        <Text size="sm">{t('media.looking')}</Text>
      </Group>
    );
  }
  if (media.length === 0) {
    return (
      <Alert color="gray" title={t('media.none')} role="status">
        <Text size="sm">{purpose === 'write' ? t('media.noneWrite') : t('media.noneRead')}</Text>
      </Alert>
    );
  }
  return (
    <Text size="sm" role="status">
      {t('media.count', { count: media.length })}
    </Text>
  );
}

/** How the bytes were read back, in the operator's words. */
export const READ_BACK_TEXT: Record<ReadBackMethod, MessageId> = {
  'o-direct': 'media.readBack.o-direct',
  'flushbufs+o-direct': 'media.readBack.flushbufs',
  'fadvise-dontneed': 'media.readBack.fadvise',
  remount: 'media.readBack.remount',
  buffered: 'media.readBack.buffered',
};

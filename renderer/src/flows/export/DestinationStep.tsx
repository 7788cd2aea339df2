/**
 * Export step 3: where the bundle goes — a detected removable medium (listed live, with its
 * file system and free space against the bundle's size) or a folder — and optionally its name.
 */
import { Alert, Button, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import type { MediaVolumeView, SelectionSummary } from '../../../../shared/ipc.js';
import { ChannelField, channelNameValid } from '../../components/ChannelField.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FAT_MAX_FILE_BYTES, isFat, MediaCount, mediumName, mediumNameAndPlace, MediumRadio } from '../../components/media.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useMedia } from '../../hooks/useMedia.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';
import { useState } from 'react';
import { estimateBundleBytes, fitOnMedium } from './bundle-estimate.js';
import { LargeDriveAlert } from './LargeDriveAlert.js';
import { StatusText } from '../../components/StatusIcon.js';

/** The core's rule for bundle names (shared/errors.ts INVALID_NAME). */
const NAME_RE = /^(?!\.)[A-Za-z0-9._-]{1,100}$/u;

/** `staged`: the two-person rule's first step (the CLI's `export --prepare`): signed now, written once a second person approved. */
export type ChosenDestination = { kind: 'folder'; path: string | null } | { kind: 'medium'; medium: MediaVolumeView } | { kind: 'staged' } | null;

export interface DestinationStepProps {
  summary: SelectionSummary;
  destination: ChosenDestination;
  name: string;
  onChange: (value: { destination: ChosenDestination; name: string }) => void;
  /** The export carries images or charts: their size is known only once they are read, so the fit shown covers the files. */
  withImages?: boolean | undefined;
  onBack: () => void;
  onNext: () => void;
  /** The channel to stamp the bundle on ('' for none; the CLI's --channel); the field shows only with onChannelChange. */
  channel?: string;
  onChannelChange?: (channel: string) => void;
  /** How often the media list is refreshed (tests shorten it). */
  pollMs?: number | undefined;
  /** The selection: media on the disks holding it are not offered (core refuses them anyway). */
  sources?: readonly string[] | undefined;
}

/** Not a medium id: those are device paths and absolute folders. */
const FOLDER = 'airlock:folder';
const STAGED = 'airlock:staged';
const valueOf = (d: ChosenDestination): string | null => (d === null ? null : d.kind === 'folder' ? FOLDER : d.kind === 'staged' ? STAGED : d.medium.id);

export function DestinationStep({
  summary,
  destination,
  name,
  onChange,
  withImages = false,
  onBack,
  onNext,
  pollMs,
  sources,
  channel = '',
  onChannelChange,
}: DestinationStepProps) {
  const t = useT();
  const f = useFormat();
  const { media, error } = useMedia(pollMs, sources);
  const bundleBytes = estimateBundleBytes(summary);
  const nameError = name !== '' && !NAME_RE.test(name) ? t('export.destination.nameError') : null;
  // The chosen medium as listed now (its free space may have changed); null when it is gone.
  const chosenMedium =
    destination?.kind === 'medium' ? (media?.find((v) => v.id === destination.medium.id) ?? (media === null ? destination.medium : null)) : null;
  const gone = destination?.kind === 'medium' && chosenMedium === null;
  const chosenFits = chosenMedium ? fitOnMedium(bundleBytes, chosenMedium).fits !== false : false;
  // A large drive is written to only once the operator has said it is the one (issue #19.4).
  const [largeAcknowledged, setLargeAcknowledged] = useState<string | null>(null);
  const largeOk = !chosenMedium?.large || largeAcknowledged === chosenMedium.id;
  const ready =
    nameError === null &&
    (channel === '' || channelNameValid(channel)) &&
    (destination?.kind === 'folder'
      ? destination.path !== null
      : destination?.kind === 'medium'
        ? chosenFits && !gone && largeOk
        : destination?.kind === 'staged');

  const choose = (value: string) => {
    if (value === FOLDER) onChange({ destination: { kind: 'folder', path: destination?.kind === 'folder' ? destination.path : null }, name });
    if (value === STAGED) onChange({ destination: { kind: 'staged' }, name });
    const medium = media?.find((v) => v.id === value);
    if (medium) onChange({ destination: { kind: 'medium', medium }, name });
  };

  return (
    <Stack>
      <StepHeader
        flow={t('flow.export')}
        step={3}
        of={6}
        title={t('export.destination.title')}
        happens={t('export.destination.happens')}
        proven={[t('export.destination.needs', { files: summary.totalFiles, size: f.bytes(summary.totalBytes), needed: f.bytes(bundleBytes) })]}
      />
      <MediaCount media={media} purpose="write" />
      {withImages ? (
        <Alert color="blue" title={t('export.destination.imagesTitle')}>
          <Text size="sm">{t('export.destination.imagesText')}</Text>
        </Alert>
      ) : null}
      {error ? <ErrorAlert error={error} title={t('export.destination.mediaError')} /> : null}
      <Radio.Group value={valueOf(destination)} onChange={choose} label={t('export.destination.label')} name="export-destination">
        <Stack gap="sm" mt="xs">
          {(media ?? []).map((medium) => {
            const fit = fitOnMedium(bundleBytes, medium);
            const notes = [];
            if (fit.fits === false) {
              notes.push(
                <StatusText tone="fail">
                  {fit.reason === 'too small'
                    ? t('export.destination.tooSmall', { needed: f.bytes(bundleBytes), free: f.bytes(medium.free ?? 0) })
                    : t('export.destination.unwritable', { reason: fit.reason })}
                </StatusText>,
              );
            } else if (fit.fits === 'unknown') {
              notes.push(t('export.destination.freeUnknown'));
            } else if (fit.tight) {
              notes.push(<StatusText tone="warn">{t('export.destination.tight', { free: f.bytes(medium.free ?? 0) })}</StatusText>);
            }
            if (isFat(medium.filesystem)) {
              notes.push(bundleBytes > FAT_MAX_FILE_BYTES ? t('export.destination.fatSplit') : t('export.destination.fatFits'));
            }
            return <MediumRadio key={medium.id} medium={medium} disabled={fit.fits === false} notes={notes} />;
          })}
          {/* Staging before the folder: the folder stays the last choice, where End puts a keyboard user. */}
          <Radio value={STAGED} label={<Text fw={600}>{t('staged.destination.label')}</Text>} description={t('staged.destination.help')} />
          <Radio value={FOLDER} label={<Text fw={600}>{t('export.destination.folder')}</Text>} description={t('export.destination.folderHelp')} />
        </Stack>
      </Radio.Group>
      {gone ? (
        <Alert color="yellow" title={t('export.destination.goneTitle')} role="alert">
          <Text size="sm">{t('export.destination.goneText', { medium: mediumName(destination.medium) })}</Text>
        </Alert>
      ) : null}
      {destination?.kind === 'folder' ? (
        <DestinationPicker
          purpose="export-destination"
          value={destination.path}
          onChange={(path) => onChange({ destination: { kind: 'folder', path }, name })}
        />
      ) : null}
      {chosenMedium?.large ? (
        <LargeDriveAlert
          medium={chosenMedium}
          acknowledged={largeAcknowledged === chosenMedium.id}
          onAcknowledge={(ok) => setLargeAcknowledged(ok ? chosenMedium.id : null)}
        />
      ) : null}
      {destination?.kind === 'medium' && chosenMedium ? (
        <Text size="sm" aria-label={t('export.destination.chosenMedium')}>
          {t('export.destination.onto', { medium: mediumNameAndPlace(chosenMedium) })}
        </Text>
      ) : null}
      <TextInput
        label={t('export.destination.name')}
        description={t('export.destination.nameHelp')}
        value={name}
        onChange={(e) => onChange({ destination, name: e.currentTarget.value })}
        error={nameError}
        maw={480}
      />
      {onChannelChange ? <ChannelField value={channel} onChange={onChannelChange} /> : null}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          {t('flow.back')}
        </Button>
        <Button onClick={onNext} disabled={!ready}>
          {t('export.destination.next')}
        </Button>
      </Group>
    </Stack>
  );
}

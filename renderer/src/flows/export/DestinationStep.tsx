/**
 * Export step 3: where the bundle goes — a detected removable medium (listed live, with its
 * file system and free space against the bundle's size) or a folder — and optionally its name.
 */
import { Alert, Button, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { formatBytes } from '../../../../shared/format.js';
import type { MediaVolumeView, SelectionSummary } from '../../../../shared/ipc.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FAT_MAX_FILE_BYTES, isFat, MediaCount, mediumName, mediumNameAndPlace, MediumRadio } from '../../components/media.js';
import { plural } from '../../components/plural.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useMedia } from '../../hooks/useMedia.js';
import { estimateBundleBytes, fitOnMedium } from './bundle-estimate.js';
import { StatusText } from '../../components/StatusIcon.js';

/** The core's rule for bundle names (shared/errors.ts INVALID_NAME). */
const NAME_RE = /^(?!\.)[A-Za-z0-9._-]{1,100}$/u;

export type ChosenDestination = { kind: 'folder'; path: string | null } | { kind: 'medium'; medium: MediaVolumeView } | null;

export interface DestinationStepProps {
  summary: SelectionSummary;
  destination: ChosenDestination;
  name: string;
  onChange: (value: { destination: ChosenDestination; name: string }) => void;
  /** The export carries images or charts: their size is known only once they are read, so the fit shown covers the files. */
  withImages?: boolean | undefined;
  onBack: () => void;
  onNext: () => void;
  /** How often the media list is refreshed (tests shorten it). */
  pollMs?: number | undefined;
}

/** Not a medium id: those are device paths and absolute folders. */
const FOLDER = 'airlock:folder';
const valueOf = (d: ChosenDestination): string | null => (d === null ? null : d.kind === 'folder' ? FOLDER : d.medium.id);

export function DestinationStep({ summary, destination, name, onChange, withImages = false, onBack, onNext, pollMs }: DestinationStepProps) {
  const { media, error } = useMedia(pollMs);
  const bundleBytes = estimateBundleBytes(summary);
  const nameError = name !== '' && !NAME_RE.test(name) ? 'Letters, digits, dot, dash and underscore only (up to 100), not starting with a dot.' : null;
  // The chosen medium as listed now (its free space may have changed); null when it is gone.
  const chosenMedium =
    destination?.kind === 'medium' ? (media?.find((v) => v.id === destination.medium.id) ?? (media === null ? destination.medium : null)) : null;
  const gone = destination?.kind === 'medium' && chosenMedium === null;
  const chosenFits = chosenMedium ? fitOnMedium(bundleBytes, chosenMedium).fits !== false : false;
  const ready =
    nameError === null && (destination?.kind === 'folder' ? destination.path !== null : destination?.kind === 'medium' ? chosenFits && !gone : false);

  const choose = (value: string) => {
    if (value === FOLDER) onChange({ destination: { kind: 'folder', path: destination?.kind === 'folder' ? destination.path : null }, name });
    const medium = media?.find((v) => v.id === value);
    if (medium) onChange({ destination: { kind: 'medium', medium }, name });
  };

  return (
    <Stack>
      <StepHeader
        flow="Export"
        step={3}
        of={6}
        title="Choose where the bundle goes"
        happens="On a removable medium the bundle is written, flushed, then read back past the page cache to prove the medium holds exactly what was signed. In a folder it is written as NAME.airlock.tar. Airlock never overwrites a file that is already there."
        proven={[
          `The selection holds ${plural(summary.totalFiles, 'file')}, ${formatBytes(summary.totalBytes)}: the bundle needs about ${formatBytes(bundleBytes)}.`,
        ]}
      />
      <MediaCount media={media} purpose="write" />
      {withImages ? (
        <Alert color="blue" title="Images are sized when they are read">
          <Text size="sm">
            The sizes below count the files only. Images and charts are read (or pulled) first, before anything is written; then Airlock checks the free space
            with the bundle’s exact size and writes nothing if it does not fit.
          </Text>
        </Alert>
      ) : null}
      {error ? <ErrorAlert error={error} title="The list of media could not be refreshed" /> : null}
      <Radio.Group value={valueOf(destination)} onChange={choose} label="Destination" name="export-destination">
        <Stack gap="sm" mt="xs">
          {(media ?? []).map((medium) => {
            const fit = fitOnMedium(bundleBytes, medium);
            const notes = [];
            if (fit.fits === false) {
              notes.push(
                <StatusText tone="fail">
                  {fit.reason === 'too small'
                    ? `Will not fit: the bundle needs about ${formatBytes(bundleBytes)}, ${formatBytes(medium.free ?? 0)} is free.`
                    : `Cannot be written to: ${fit.reason}.`}
                </StatusText>,
              );
            } else if (fit.fits === 'unknown') {
              notes.push('Free space unknown: Airlock checks it before writing.');
            } else if (fit.tight) {
              notes.push(<StatusText tone="warn">Fits, but only just ({formatBytes(medium.free ?? 0)} free).</StatusText>);
            }
            if (isFat(medium.filesystem)) {
              notes.push(
                bundleBytes > FAT_MAX_FILE_BYTES
                  ? 'FAT32 holds files up to 4 GiB: this bundle will be written as numbered parts with a signed volume index.'
                  : 'FAT32: a bundle over 4 GiB would be split into parts; this one fits in one file.',
              );
            }
            return <MediumRadio key={medium.id} medium={medium} disabled={fit.fits === false} notes={notes} />;
          })}
          <Radio
            value={FOLDER}
            label={<Text fw={600}>A folder</Text>}
            description="Any folder, for example a data diode’s outbox or a medium Airlock does not list."
          />
        </Stack>
      </Radio.Group>
      {gone ? (
        <Alert color="yellow" title="The chosen medium is gone" role="alert">
          <Text size="sm">
            {mediumName(destination.medium)} is no longer detected: it was removed or unmounted. Insert it again, or choose another destination.
          </Text>
        </Alert>
      ) : null}
      {destination?.kind === 'folder' ? (
        <DestinationPicker
          purpose="export-destination"
          value={destination.path}
          onChange={(path) => onChange({ destination: { kind: 'folder', path }, name })}
        />
      ) : null}
      {destination?.kind === 'medium' && chosenMedium ? (
        <Text size="sm" aria-label="Chosen medium">
          The bundle goes onto {mediumNameAndPlace(chosenMedium)}.
        </Text>
      ) : null}
      <TextInput
        label="Bundle name (optional)"
        description="Leave empty for the station's next name, e.g. airlock-000042-20261128."
        value={name}
        onChange={(e) => onChange({ destination, name: e.currentTarget.value })}
        error={nameError}
        maw={480}
      />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext} disabled={!ready}>
          Next: sign
        </Button>
      </Group>
    </Stack>
  );
}

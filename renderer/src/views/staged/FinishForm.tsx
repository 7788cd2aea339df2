/**
 * The last step of a two-person export (the CLI's `export --finish STAGED --out DIR`, or
 * `--to-media ID[,ID...]`): the staged bundle written with every signature to a detected removable
 * medium, or split over several when it does not fit on one (written, flushed and read back past
 * the cache, as an export to media is; the result offers Eject) or to a folder (first to a temp name, fsynced, then published), as a job with progress,
 * rate, ETA and Cancel. The passphrase unlocks the station key to sign the receipt and an audit
 * checkpoint; onto a medium it is required (it also signs a split bundle's volume index), to a
 * folder it may be left out (both unsigned, as the CLI does without --passphrase-file). Not
 * approved yet: said plainly, as a receiving station that requires two signers will refuse it.
 */
import { Alert, Button, Fieldset, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { MediaVolumeView, StagedEntryView } from '../../../../shared/ipc.js';
import { call, useApi } from '../../api.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { JobProgress } from '../../components/JobProgress.js';
import { MediaCount, MediumRadio } from '../../components/media.js';
import { StatusText } from '../../components/StatusIcon.js';
import { useJobRun } from '../../hooks/useJobRun.js';
import { useMedia } from '../../hooks/useMedia.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';
import { ExportResultStep } from '../../flows/export/ExportResultStep.js';
import { fitOnMedia, fitOnMedium, hasRoom } from '../../flows/export/bundle-estimate.js';
import { LargeDriveAlert } from '../../flows/export/LargeDriveAlert.js';
import { isApproved } from './approved.js';
import { MoreMediaChoice } from './MoreMediaChoice.js';

/** Not a medium id: those are device paths and absolute folders. */
const FOLDER = 'airlock:folder';
/** Tag files, headers and padding on top of the payload, generously (bundle-estimate.ts has the per-file figure). */
const stagedBundleBytes = (entry: StagedEntryView): number => (entry.bytes ?? 0) + (entry.files ?? 0) * 2048 + 256 * 1024;

export function FinishForm({ entry, onClose, pollMs }: { entry: StagedEntryView; onClose: () => void; pollMs?: number | undefined }) {
  const api = useApi();
  const t = useT();
  const f = useFormat();
  const run = useJobRun();
  const { media, error: mediaError } = useMedia(pollMs);
  // FOLDER, a medium's id, or null before a choice.
  const [where, setWhere] = useState<string | null>(null);
  const [outDir, setOutDir] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  // The media after the first one, in the list's order (volume 2, 3, ...): the CLI's `--to-media A,B`.
  const [more, setMore] = useState<string[]>([]);
  // A large drive is written to only once the operator has said it is the one (issue #19.4), as in the Export flow.
  const [largeAcknowledged, setLargeAcknowledged] = useState<string[]>([]);
  // The media written to, for the result's Eject (the live list may have moved on by then).
  const [writtenTo, setWrittenTo] = useState<MediaVolumeView[]>([]);
  const finished = run.job.finished;
  const bundleBytes = stagedBundleBytes(entry);
  const medium = where !== null && where !== FOLDER ? (media?.find((m) => m.id === where) ?? null) : null;
  const toMedium = where !== null && where !== FOLDER;
  // Media that could hold a volume: mounted, writable, with room past the margin.
  const writable = (media ?? []).filter((m) => m.mountPoint !== null && !m.readOnly && hasRoom(m));
  const candidates = medium === null ? [] : writable.filter((m) => m.id !== medium.id);
  // Ticked media that are still listed; one taken out is dropped, never written to unseen.
  const chosenMore = candidates.filter((m) => more.includes(m.id));
  const chosen = medium === null ? [] : [medium, ...chosenMore];
  const fit = fitOnMedia(bundleBytes, chosen);
  const largeOk = chosen.every((m) => !m.large || largeAcknowledged.includes(m.id));
  const ready = where === FOLDER ? outDir !== null : medium !== null && fit.fits !== false && largeOk && passphrase !== '';
  const room = chosen.reduce((n, m) => n + (m.free ?? 0), 0);

  if (finished?.kind === 'export-finish' && finished.state === 'succeeded' && finished.result) {
    const [first = null, ...rest] = writtenTo;
    return <ExportResultStep result={finished.result} medium={first} moreMedia={rest} onDone={onClose} />;
  }
  if (run.jobId !== null) {
    return (
      <Stack gap="sm" data-testid="finish-job">
        {finished === null ? <JobProgress progress={run.job.progress} onCancel={run.cancel} cancelling={run.cancelling} /> : null}
        {finished?.error ? (
          <ErrorAlert error={finished.error} title={finished.state === 'cancelled' ? t('staged.finish.cancelled') : t('staged.finish.failed')} />
        ) : null}
        {finished ? (
          <Group>
            <Button variant="default" onClick={run.reset}>
              {t('staged.finish.again')}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('staged.backToList')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    );
  }

  const start = () => {
    if (!ready || where === null) return;
    const value = passphrase === '' ? undefined : passphrase;
    setPassphrase('');
    const target = where === FOLDER ? { outDir: outDir ?? undefined } : { mediumIds: chosen.map((m) => m.id) };
    setWrittenTo(where === FOLDER ? [] : chosen);
    void run.start(() => call(api, 'startFinishExport', { name: entry.name, source: entry.source, ...target, passphrase: value }));
  };

  return (
    <Fieldset legend={t('staged.finish.legend', { name: displayText(entry.name) })} data-testid="finish-form">
      <Stack gap="sm">
        <Text size="sm">{t('staged.finish.intro')}</Text>
        {!isApproved(entry) ? (
          <Alert color="yellow" title={t('staged.finish.notApprovedTitle')} role="alert">
            <Text size="sm">{t('staged.finish.notApprovedText')}</Text>
          </Alert>
        ) : null}
        <MediaCount media={media} purpose="write" />
        {mediaError ? <ErrorAlert error={mediaError} title={t('export.destination.mediaError')} /> : null}
        <Radio.Group value={where} onChange={setWhere} label={t('staged.finish.where')} name="finish-destination">
          <Stack gap="sm" mt="xs">
            {(media ?? []).map((m) => {
              const alone = fitOnMedium(bundleBytes, m);
              // Too small on its own is still a first medium when the others together make up the rest.
              const withOthers =
                alone.fits === false &&
                alone.reason === 'too small' &&
                writable.some((w) => w.id === m.id) &&
                writable.length > 1 &&
                fitOnMedia(bundleBytes, writable).fits !== false;
              const notes =
                alone.fits === false
                  ? [
                      <StatusText tone={withOthers ? 'warn' : 'fail'}>
                        {withOthers
                          ? t('staged.finish.tooSmallAlone', { needed: f.bytes(bundleBytes), free: f.bytes(m.free ?? 0) })
                          : alone.reason === 'too small'
                            ? t('export.destination.tooSmall', { needed: f.bytes(bundleBytes), free: f.bytes(m.free ?? 0) })
                            : t('export.destination.unwritable', { reason: alone.reason })}
                      </StatusText>,
                    ]
                  : [];
              return <MediumRadio key={m.id} medium={m} disabled={alone.fits === false && !withOthers} notes={notes} />;
            })}
            <Radio value={FOLDER} label={<Text fw={600}>{t('staged.finish.destination')}</Text>} description={t('export.destination.folderHelp')} />
          </Stack>
        </Radio.Group>
        {where === FOLDER ? <DestinationPicker purpose="export-destination" value={outDir} onChange={setOutDir} /> : null}
        {medium !== null ? <MoreMediaChoice candidates={candidates} value={chosenMore.map((m) => m.id)} onChange={setMore} /> : null}
        {medium !== null && fit.fits === false && fit.reason === 'too small' ? (
          <Alert color="yellow" title={t('staged.finish.noRoomTitle')} role="alert">
            <Text size="sm">{t('staged.finish.noRoom', { count: chosen.length, needed: f.bytes(bundleBytes), free: f.bytes(room) })}</Text>
          </Alert>
        ) : null}
        {chosen
          .filter((m) => m.large)
          .map((m) => (
            <LargeDriveAlert
              key={m.id}
              medium={m}
              acknowledged={largeAcknowledged.includes(m.id)}
              onAcknowledge={(ok) => setLargeAcknowledged((ids) => (ok ? [...ids, m.id] : ids.filter((id) => id !== m.id)))}
            />
          ))}
        {toMedium && medium === null ? (
          <Alert color="yellow" title={t('export.destination.goneTitle')} role="alert">
            <Text size="sm">{t('staged.finish.mediumGone')}</Text>
          </Alert>
        ) : null}
        <TextInput
          type="password"
          required={toMedium}
          label={toMedium ? t('staged.finish.passphraseMedium') : t('staged.finish.passphrase')}
          description={toMedium ? t('staged.finish.passphraseMediumHelp') : t('staged.finish.passphraseHelp')}
          autoComplete="off"
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          maw={480}
        />
        {run.error ? <ErrorAlert error={run.error} title={t('staged.finish.failed')} /> : null}
        <Group>
          <Button onClick={start} disabled={!ready}>
            {t('staged.finish.submit')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('staged.cancelAction')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

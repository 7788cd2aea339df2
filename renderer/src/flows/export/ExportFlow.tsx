/** The export flow: choose -> review -> destination -> sign -> write -> result, one step per screen. */
import { Button, Group, Stack } from '@mantine/core';
import { useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { ExportDestination, IpcError, SelectionSummary } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { mediumNameAndPlace } from '../../components/media.js';
import { useJob } from '../../hooks/useJob.js';
import { useT, type Translate } from '../../i18n/useT.js';
import { ChooseSourcesStep } from './ChooseSourcesStep.js';
import { DestinationStep, type ChosenDestination } from './DestinationStep.js';
import { ExportResultStep } from './ExportResultStep.js';
import { carriesImages, imageRequestFields, NO_IMAGES, type ImageChoice } from './image-choice.js';
import { ReviewStep } from './ReviewStep.js';
import { SignStep } from './SignStep.js';
import { ReadBackFailed } from './ReadBackFailed.js';
import { PreparedResult } from './PreparedResult.js';
import { WriteStep } from './WriteStep.js';

type Step = 'sources' | 'review' | 'destination' | 'sign' | 'write';

/** Errors the operator fixes on the sign screen rather than by starting over. */
const SIGN_ERRORS = new Set(['PASSPHRASE_WRONG', 'PASSPHRASE_REQUIRED', 'NO_STATION_KEY']);

/** What startExport is sent: a folder path, or the medium's id (main checks it is offered now). */
function requestDestination(d: ChosenDestination): ExportDestination | null {
  if (d?.kind === 'folder') return d.path === null ? null : { kind: 'folder', path: d.path };
  if (d?.kind === 'medium') return { kind: 'medium', mediumId: d.medium.id };
  return null;
}

function describeDestination(d: ChosenDestination): string {
  if (d?.kind === 'medium') return mediumNameAndPlace(d.medium);
  return d?.kind === 'folder' && d.path ? displayText(d.path) : '';
}

/** "2 images, 1 chart" (a list file's references are counted when it is read). */
function imagesSentence(t: Translate, choice: ImageChoice): string {
  const parts = [
    choice.images.length > 0 ? t('count.images', { count: choice.images.length }) : null,
    choice.imagesFrom !== null ? t('export.imagesList') : null,
    choice.charts.length > 0 ? t('count.charts', { count: choice.charts.length }) : null,
  ]
    .filter((p): p is string => p !== null)
    .join(', ');
  return choice.platforms === 'all' ? t('export.alsoSent', { parts }) : t('export.alsoSentPlatforms', { parts, platforms: choice.platforms.join(', ') });
}

export function ExportFlow({ onOpenKeys, onOpenStaged = () => undefined, pollMs }: { onOpenKeys: () => void; onOpenStaged?: () => void; pollMs?: number }) {
  const api = useApi();
  const t = useT();
  const [step, setStep] = useState<Step>('sources');
  const [selection, setSelection] = useState<string[]>([]);
  const [summary, setSummary] = useState<SelectionSummary | null>(null);
  const [images, setImages] = useState<ImageChoice>(NO_IMAGES);
  const withImages = carriesImages(images);
  const imagesFact = withImages ? imagesSentence(t, images) : null;
  const pullsImages = images.imagesFrom !== null || images.images.some((ref) => ref.startsWith('docker://'));
  const [destination, setDestination] = useState<{ destination: ChosenDestination; name: string }>({ destination: null, name: '' });
  const [channel, setChannel] = useState('');
  const target = requestDestination(destination.destination);
  const toMedium = destination.destination?.kind === 'medium';
  // Staged (two-person): signed now, into the home's staged/ folder; no bundle is written yet.
  const staging = destination.destination?.kind === 'staged';
  const destinationText = staging ? t('staged.destination.text') : describeDestination(destination.destination);
  const [jobId, setJobId] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [signError, setSignError] = useState<IpcError | null>(null);
  const job = useJob(jobId);

  const finished = job.finished;
  useEffect(() => {
    if (finished?.error && SIGN_ERRORS.has(finished.error.code)) {
      setSignError(finished.error);
      setJobId(null);
      setStep('sign');
    }
  }, [finished]);

  const restart = () => {
    setStep('sources');
    setSelection([]);
    setSummary(null);
    setImages(NO_IMAGES);
    setDestination({ destination: null, name: '' });
    setChannel('');
    setJobId(null);
    setCancelling(false);
    setSignError(null);
  };

  const sign = async (passphrase: string) => {
    const fields = {
      selection,
      passphrase,
      name: destination.name || undefined,
      ...(channel === '' ? {} : { channel }),
      ...imageRequestFields(images),
    };
    let id: string;
    if (staging) id = (await call(api, 'startPrepareExport', fields)).jobId;
    else if (target) id = (await call(api, 'startExport', { ...fields, destination: target })).jobId;
    else return;
    setSignError(null);
    setCancelling(false);
    setJobId(id);
    setStep('write');
  };

  const cancel = () => {
    if (!jobId) return;
    setCancelling(true);
    call(api, 'cancelJob', { jobId }).catch((e: unknown) => setSignError(asIpcError(e)));
  };

  switch (step) {
    case 'sources':
      return <ChooseSourcesStep selection={selection} onChange={setSelection} images={images} onImagesChange={setImages} onNext={() => setStep('review')} />;
    case 'review':
      return (
        <ReviewStep
          selection={selection}
          images={images}
          onBack={() => setStep('sources')}
          onNext={(s) => {
            setSummary(s);
            setStep('destination');
          }}
        />
      );
    case 'destination':
      return summary ? (
        <DestinationStep
          summary={summary}
          destination={destination.destination}
          name={destination.name}
          onChange={setDestination}
          withImages={withImages}
          pollMs={pollMs || undefined}
          sources={selection}
          channel={channel}
          onChannelChange={setChannel}
          onBack={() => setStep('review')}
          onNext={() => setStep('sign')}
        />
      ) : null;
    case 'sign':
      return summary && (target || staging) ? (
        <SignStep
          summary={summary}
          destinationText={destinationText}
          imagesFact={imagesFact}
          lastError={signError}
          onBack={() => setStep('destination')}
          onSign={sign}
          onOpenKeys={onOpenKeys}
          submitLabel={staging ? t('staged.sign.submit') : undefined}
        />
      ) : null;
    case 'write':
      if (finished?.kind === 'export' && finished.state === 'succeeded' && finished.result) {
        const medium = destination.destination?.kind === 'medium' ? destination.destination.medium : null;
        return <ExportResultStep result={finished.result} medium={medium} onDone={restart} />;
      }
      if (finished?.kind === 'export-prepare' && finished.state === 'succeeded' && finished.result) {
        return <PreparedResult staged={finished.result} onDone={restart} onOpenStaged={onOpenStaged} />;
      }
      return summary && (target || staging) ? (
        <Stack>
          <WriteStep
            summary={summary}
            destinationText={destinationText}
            toMedium={toMedium}
            staging={staging}
            imagesFact={imagesFact}
            pullsImages={pullsImages}
            progress={job.progress}
            readBackFailed={finished?.error?.code === 'MEDIA_READBACK_FAILED'}
            cancelling={cancelling}
            {...(finished ? {} : { onCancel: cancel })}
          />
          {finished?.error ? (
            <>
              {finished.error.code === 'MEDIA_READBACK_FAILED' ? (
                <ReadBackFailed error={finished.error} />
              ) : (
                <ErrorAlert error={finished.error} title={finished.state === 'cancelled' ? t('export.cancelled') : t('export.failed')} />
              )}
              <Group justify="space-between">
                <Button variant="default" onClick={() => setStep('sign')}>
                  {t('export.backToSigning')}
                </Button>
                <Button onClick={restart}>{t('export.startOver')}</Button>
              </Group>
            </>
          ) : null}
        </Stack>
      ) : null;
  }
}

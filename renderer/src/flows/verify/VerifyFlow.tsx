/**
 * Verify without importing: a bundle file (choose -> verify -> report), or a whole medium
 * (choose the medium -> every bundle on it re-verified past the page cache -> report per bundle).
 * Used by security officers checking media.
 */
import { Button, Group, SegmentedControl, Stack } from '@mantine/core';
import { useState } from 'react';
import type { IpcError, MediaVolumeView } from '../../../../shared/ipc.js';
import { call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useJobRun } from '../../hooks/useJobRun.js';
import { useMedia } from '../../hooks/useMedia.js';
import { useT } from '../../i18n/useT.js';
import { ChooseBundleStep } from './ChooseBundleStep.js';
import { ReportStep } from './ReportStep.js';
import { VerifyingStep } from './VerifyingStep.js';
import { ChooseMediumStep, MediumReportStep, VerifyingMediumStep } from './VerifyMediumSteps.js';
import { NO_SIGNING, signingPassphrase, type ImportSigning } from '../import/ImportSigningField.js';

type Mode = 'bundle' | 'medium';

export function VerifyFlow({ pollMs }: { pollMs?: number } = {}) {
  const t = useT();
  const [mode, setMode] = useState<Mode>('bundle');
  const [busy, setBusy] = useState(false);
  return (
    <Stack>
      {busy ? null : (
        <SegmentedControl
          aria-label={t('verify.mode')}
          value={mode}
          onChange={(v) => setMode(v)}
          data={[
            { value: 'bundle', label: t('verify.mode.bundle') },
            { value: 'medium', label: t('verify.mode.medium') },
          ]}
          maw={420}
        />
      )}
      {mode === 'bundle' ? <VerifyBundle onBusy={setBusy} /> : <VerifyMedium onBusy={setBusy} pollMs={pollMs || undefined} />}
    </Stack>
  );
}

/** A failed job: its error with the next step, and a way back to the start. */
function JobFailure({ error, onRestart }: { error: IpcError; onRestart: () => void }) {
  const t = useT();
  return (
    <>
      <ErrorAlert error={error} />
      <Group justify="flex-end">
        <Button onClick={onRestart}>{t('verify.startOver')}</Button>
      </Group>
    </>
  );
}

/** Reports whether a job is under way, so the mode switch hides while one runs or shows its result. */
function VerifyBundle({ onBusy }: { onBusy: (busy: boolean) => void }) {
  const api = useApi();
  const [bundlePath, setBundlePath] = useState<string | null>(null);
  const run = useJobRun(onBusy);
  const restart = () => {
    setBundlePath(null);
    run.reset();
  };

  if (run.jobId === null || bundlePath === null) {
    return (
      <Stack>
        <ChooseBundleStep
          flow="Verify"
          of={3}
          bundlePath={bundlePath}
          onChange={setBundlePath}
          onNext={() => bundlePath && void run.start(() => call(api, 'startVerify', { bundlePath }))}
        />
        {run.error ? <ErrorAlert error={run.error} /> : null}
      </Stack>
    );
  }
  const finished = run.job.finished;
  if (finished?.kind === 'verify' && finished.result) {
    return <ReportStep flow="Verify" of={3} report={finished.result} onAnother={restart} />;
  }
  return (
    <Stack>
      <VerifyingStep flow="Verify" of={3} bundlePath={bundlePath} progress={run.job.progress} cancelling={run.cancelling} onCancel={run.cancel} />
      {finished?.error ? <JobFailure error={finished.error} onRestart={restart} /> : null}
    </Stack>
  );
}

function VerifyMedium({ onBusy, pollMs }: { onBusy: (busy: boolean) => void; pollMs?: number | undefined }) {
  const api = useApi();
  const { media } = useMedia(pollMs);
  const [mediumId, setMediumId] = useState<string | null>(null);
  const [medium, setMedium] = useState<MediaVolumeView | null>(null);
  /** The passphrase that signs the receipts: kept only until the verification starts. */
  const [signing, setSigning] = useState<ImportSigning>(NO_SIGNING);
  const run = useJobRun(onBusy);
  const restart = () => {
    setMedium(null);
    run.reset();
  };
  const start = async () => {
    const chosen = media?.find((v) => v.id === mediumId);
    if (!chosen) return;
    setMedium(chosen);
    const passphrase = signingPassphrase(signing);
    setSigning((s) => ({ ...s, passphrase: '' }));
    if (!(await run.start(() => call(api, 'startVerifyMedium', passphrase === undefined ? { mediumId: chosen.id } : { mediumId: chosen.id, passphrase }))))
      setMedium(null);
  };

  if (run.jobId === null || medium === null) {
    return (
      <Stack>
        <ChooseMediumStep
          media={media}
          mediumId={mediumId}
          onChange={setMediumId}
          onVerify={() => void start()}
          signing={signing}
          onSigningChange={setSigning}
        />
        {run.error ? <ErrorAlert error={run.error} /> : null}
      </Stack>
    );
  }
  const finished = run.job.finished;
  if (finished?.kind === 'verify-medium' && finished.result) {
    return <MediumReportStep report={finished.result} medium={medium} onAnother={restart} />;
  }
  return (
    <Stack>
      <VerifyingMediumStep medium={medium} progress={run.job.progress} cancelling={run.cancelling} onCancel={run.cancel} />
      {finished?.error ? <JobFailure error={finished.error} onRestart={restart} /> : null}
    </Stack>
  );
}

/**
 * Verify without importing: a bundle file (choose -> verify -> report), or a whole medium
 * (choose the medium -> every bundle on it re-verified past the page cache -> report per bundle).
 * Used by security officers checking media.
 */
import { Button, Group, SegmentedControl, Stack } from '@mantine/core';
import { useState } from 'react';
import type { IpcError, MediaVolumeView } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useJob } from '../../hooks/useJob.js';
import { useMedia } from '../../hooks/useMedia.js';
import { ChooseBundleStep } from './ChooseBundleStep.js';
import { ReportStep } from './ReportStep.js';
import { VerifyingStep } from './VerifyingStep.js';
import { ChooseMediumStep, MediumReportStep, VerifyingMediumStep } from './VerifyMediumSteps.js';

type Mode = 'bundle' | 'medium';

export function VerifyFlow({ pollMs }: { pollMs?: number } = {}) {
  const [mode, setMode] = useState<Mode>('bundle');
  const [busy, setBusy] = useState(false);
  return (
    <Stack>
      {busy ? null : (
        <SegmentedControl
          aria-label="What to verify"
          value={mode}
          onChange={(v) => setMode(v as Mode)}
          data={[
            { value: 'bundle', label: 'A bundle file' },
            { value: 'medium', label: 'A whole medium' },
          ]}
          maw={420}
        />
      )}
      {mode === 'bundle' ? <VerifyBundle onBusy={setBusy} /> : <VerifyMedium onBusy={setBusy} {...(pollMs ? { pollMs } : {})} />}
    </Stack>
  );
}

/** Reports whether a job is under way, so the mode switch hides while one runs or shows its result. */
function VerifyBundle({ onBusy }: { onBusy: (busy: boolean) => void }) {
  const api = useApi();
  const [bundlePath, setBundlePath] = useState<string | null>(null);
  const [jobId, setJobIdState] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const job = useJob(jobId);
  const setJobId = (id: string | null) => {
    setJobIdState(id);
    onBusy(id !== null);
  };

  const restart = () => {
    setBundlePath(null);
    setJobId(null);
    setError(null);
    setCancelling(false);
  };
  const start = async () => {
    if (!bundlePath) return;
    setError(null);
    try {
      setJobId((await call(api, 'startVerify', { bundlePath })).jobId);
    } catch (e) {
      setError(asIpcError(e));
    }
  };

  if (jobId === null || bundlePath === null) {
    return (
      <Stack>
        <ChooseBundleStep flow="Verify" of={3} bundlePath={bundlePath} onChange={setBundlePath} onNext={() => void start()} />
        {error ? <ErrorAlert error={error} /> : null}
      </Stack>
    );
  }
  const finished = job.finished;
  if (finished?.kind === 'verify' && finished.result) {
    return <ReportStep flow="Verify" of={3} report={finished.result} onAnother={restart} />;
  }
  return (
    <Stack>
      <VerifyingStep
        flow="Verify"
        of={3}
        bundlePath={bundlePath}
        progress={job.progress}
        cancelling={cancelling}
        {...(finished ? {} : { onCancel: () => (setCancelling(true), void call(api, 'cancelJob', { jobId })) })}
      />
      {finished?.error ? (
        <>
          <ErrorAlert error={finished.error} />
          <Group justify="flex-end">
            <Button onClick={restart}>Start over</Button>
          </Group>
        </>
      ) : null}
    </Stack>
  );
}

function VerifyMedium({ onBusy, pollMs }: { onBusy: (busy: boolean) => void; pollMs?: number }) {
  const api = useApi();
  const { media } = useMedia(pollMs);
  const [mediumId, setMediumId] = useState<string | null>(null);
  const [medium, setMedium] = useState<MediaVolumeView | null>(null);
  const [jobId, setJobIdState] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const job = useJob(jobId);
  const setJobId = (id: string | null) => {
    setJobIdState(id);
    onBusy(id !== null);
  };

  const restart = () => {
    setMedium(null);
    setJobId(null);
    setError(null);
    setCancelling(false);
  };
  const start = async () => {
    const chosen = media?.find((v) => v.id === mediumId);
    if (!chosen) return;
    setError(null);
    try {
      const { jobId: id } = await call(api, 'startVerifyMedium', { mediumId: chosen.id });
      setMedium(chosen);
      setCancelling(false);
      setJobId(id);
    } catch (e) {
      setError(asIpcError(e));
    }
  };

  if (jobId === null || medium === null) {
    return (
      <Stack>
        <ChooseMediumStep media={media} mediumId={mediumId} onChange={setMediumId} onVerify={() => void start()} />
        {error ? <ErrorAlert error={error} /> : null}
      </Stack>
    );
  }
  const finished = job.finished;
  if (finished?.kind === 'verify-medium' && finished.result) {
    return <MediumReportStep report={finished.result} medium={medium} onAnother={restart} />;
  }
  return (
    <Stack>
      <VerifyingMediumStep
        medium={medium}
        progress={job.progress}
        cancelling={cancelling}
        {...(finished ? {} : { onCancel: () => (setCancelling(true), void call(api, 'cancelJob', { jobId })) })}
      />
      {finished?.error ? (
        <>
          <ErrorAlert error={finished.error} />
          <Group justify="flex-end">
            <Button onClick={restart}>Start over</Button>
          </Group>
        </>
      ) : null}
    </Stack>
  );
}

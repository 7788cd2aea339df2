/** Verify without importing: choose -> verify -> report. Used by security officers checking media. */
import { Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import type { IpcError } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useJob } from '../../hooks/useJob.js';
import { ChooseBundleStep } from './ChooseBundleStep.js';
import { ReportStep } from './ReportStep.js';
import { VerifyingStep } from './VerifyingStep.js';

export function VerifyFlow() {
  const api = useApi();
  const [bundlePath, setBundlePath] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const job = useJob(jobId);

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

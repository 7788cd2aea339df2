/** The import flow: insert a medium (or choose a bundle file) -> verify -> report -> destination and signing -> import -> result. */
import { Button, Group, Stack } from '@mantine/core';
import { useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import { cancelCanUndo } from '../../../../shared/progress.js';
import type { IpcError, VerifyReport } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { JobProgress } from '../../components/JobProgress.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useJob } from '../../hooks/useJob.js';
import { useT } from '../../i18n/useT.js';
import { ChooseBundleStep } from '../verify/ChooseBundleStep.js';
import { ReportStep } from '../verify/ReportStep.js';
import { VerifyingStep } from '../verify/VerifyingStep.js';
import { ImportDestinationStep } from './ImportDestinationStep.js';
import { ImportResultStep } from './ImportResultStep.js';
import { ImagePushProgress } from '../../components/ImagePushProgress.js';
import { NO_PUSH, pushRequest, type PushChoice } from './push-choice.js';
import { NO_SIGNING, signingPassphrase, type ImportSigning } from './ImportSigningField.js';

type Step = 'bundle' | 'verify' | 'destination' | 'import';

/** Errors the operator fixes at the passphrase field (core refuses them before anything is imported), keeping the bundle and report. */
const SIGN_ERRORS = new Set(['PASSPHRASE_WRONG', 'NO_STATION_KEY']);

export function ImportFlow({ pollMs, onOpenQuarantine }: { pollMs?: number; onOpenQuarantine?: (() => void) | undefined } = {}) {
  const api = useApi();
  const t = useT();
  const [step, setStep] = useState<Step>('bundle');
  const [bundlePath, setBundlePath] = useState<string | null>(null);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [destDir, setDestDir] = useState<string | null>(null);
  const [push, setPush] = useState<PushChoice>(NO_PUSH);
  /** The passphrase that signs the receipt: kept only until the import starts. */
  const [signing, setSigning] = useState<ImportSigning>(NO_SIGNING);
  /** The last import was asked to sign: importing again needs the passphrase typed again. */
  const [signedLast, setSignedLast] = useState(false);
  const [signError, setSignError] = useState<IpcError | null>(null);
  /** Where the running or last import pushes (the password is not kept here). */
  const [pushingTo, setPushingTo] = useState<string | null>(null);
  /** The operator chose to import a bundle this station imported before (the override is recorded). */
  const [allowReplay, setAllowReplay] = useState(false);
  /** The report refused the bundle for what it holds: the import goes ahead only to have it refused and kept in quarantine. */
  const [quarantining, setQuarantining] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const job = useJob(jobId);
  const finished = job.finished;

  useEffect(() => {
    if (finished?.kind === 'import' && finished.error && SIGN_ERRORS.has(finished.error.code)) {
      setSignError(finished.error);
      setJobId(null);
      setStep('destination');
    }
  }, [finished]);

  const restart = () => {
    setStep('bundle');
    setBundlePath(null);
    setReport(null);
    setDestDir(null);
    setPush(NO_PUSH);
    setSigning(NO_SIGNING);
    setSignedLast(false);
    setSignError(null);
    setPushingTo(null);
    setAllowReplay(false);
    setQuarantining(false);
    setJobId(null);
    setError(null);
    setCancelling(false);
  };
  const startJob = async (start: () => Promise<{ jobId: string }>, next: Step) => {
    setError(null);
    setCancelling(false);
    try {
      setJobId((await start()).jobId);
      setStep(next);
    } catch (e) {
      setError(asIpcError(e));
    }
  };
  const cancel = () => {
    if (!jobId) return;
    setCancelling(true);
    void call(api, 'cancelJob', { jobId });
  };
  const runImport = (allowReplay: boolean) => {
    // Only a bundle with images is pushed; the password leaves this state as the job starts.
    const pushTo = (report?.images?.length ?? 0) > 0 ? pushRequest(push) : undefined;
    if (!bundlePath || (destDir === null && pushTo === undefined)) return;
    // A quarantining import is refused by design and writes no receipt: nothing to sign.
    const passphrase = quarantining ? undefined : signingPassphrase(signing);
    setPushingTo(pushTo ? pushTo.registry : null);
    setPush((p) => ({ ...p, password: '' }));
    setSigning((s) => ({ ...s, passphrase: '' }));
    setSignedLast(passphrase !== undefined);
    setSignError(null);
    void startJob(
      () => call(api, 'startImport', { bundlePath, destDir: destDir ?? undefined, allowReplay: allowReplay || undefined, pushTo, passphrase }),
      'import',
    );
  };
  // Import again on purpose; a push with credentials or a signed import goes back to the form, where the password or passphrase is typed again.
  const importAgain = () => {
    setAllowReplay(true);
    if ((push.enabled && push.username !== '' && push.password === '') || signedLast) {
      setJobId(null);
      setStep('destination');
    } else runImport(true);
  };
  const failure = finished?.error ? (
    <>
      <ErrorAlert error={finished.error} />
      <Group justify="flex-end">
        <Button onClick={restart}>{t('import.startOver')}</Button>
      </Group>
    </>
  ) : null;

  if (step === 'bundle' || bundlePath === null) {
    return (
      <Stack>
        <ChooseBundleStep
          flow="Import"
          of={6}
          fromMedia
          pollMs={pollMs || undefined}
          bundlePath={bundlePath}
          onChange={setBundlePath}
          onNext={() => bundlePath && void startJob(() => call(api, 'startVerify', { bundlePath }), 'verify')}
        />
        {error ? <ErrorAlert error={error} /> : null}
      </Stack>
    );
  }

  if (step === 'verify') {
    const verified = report ?? (finished?.kind === 'verify' ? finished.result : null);
    if (verified) {
      return (
        <ReportStep
          flow="Import"
          of={6}
          report={verified}
          onAnother={restart}
          onContinue={() => {
            setReport(verified);
            setJobId(null);
            setStep('destination');
          }}
          onQuarantine={() => {
            setReport(verified);
            setQuarantining(true);
            setJobId(null);
            setStep('destination');
          }}
        />
      );
    }
    return (
      <Stack>
        <VerifyingStep
          flow="Import"
          of={6}
          bundlePath={bundlePath}
          progress={job.progress}
          cancelling={cancelling}
          {...(finished ? {} : { onCancel: cancel })}
        />
        {failure}
      </Stack>
    );
  }

  if (step === 'destination' && report) {
    return (
      <Stack>
        <ImportDestinationStep
          report={report}
          quarantining={quarantining}
          destDir={destDir}
          onChange={setDestDir}
          push={push}
          onPushChange={setPush}
          signing={signing}
          onSigningChange={setSigning}
          signError={signError}
          onBack={() => setStep('verify')}
          onImport={() => runImport(allowReplay)}
        />
        {error ? <ErrorAlert error={error} /> : null}
      </Stack>
    );
  }

  if (finished?.kind === 'import' && finished.result) {
    return <ImportResultStep result={finished.result} onDone={restart} onImportAgain={importAgain} onOpenQuarantine={onOpenQuarantine} />;
  }
  return (
    <Stack>
      <StepHeader
        flow={t('flow.import')}
        step={5}
        of={6}
        title={t('import.running.title')}
        happens={t('import.running.happens')}
        proven={[
          t('import.running.bundle', { path: displayText(bundlePath) }),
          destDir === null ? t('import.running.noFolder') : t('import.running.destination', { path: displayText(destDir) }),
          ...(pushingTo !== null ? [t('import.running.registry', { registry: displayText(pushingTo) })] : []),
        ]}
      />
      {/* Past the commit (settling, writing-receipts) the files are in place: a cancel could undo nothing, so none is offered. */}
      <JobProgress progress={job.progress} cancelling={cancelling} {...(finished || !cancelCanUndo(job.progress?.phase) ? {} : { onCancel: cancel })} />
      {pushingTo !== null && report?.images ? <ImagePushProgress images={report.images} progress={job.progress} /> : null}
      {failure}
    </Stack>
  );
}

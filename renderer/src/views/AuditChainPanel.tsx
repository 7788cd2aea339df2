/**
 * The audit log's chain, checked and signed from the app as the CLI does it: the check (`audit
 * verify`) runs as a job, with the events checked, their rate and the time left, and Cancel (a
 * long log takes seconds); the checkpoint (`audit checkpoint`) signs the head of the log with the
 * station key now, its passphrase asked here and never kept.
 */
import { Alert, Button, Code, Group, List, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { AuditCheckpointView, AuditVerifyReport, IpcError } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { JobProgress } from '../components/JobProgress.js';
import { useJobRun } from '../hooks/useJobRun.js';
import { useT } from '../i18n/useT.js';

/** What the verifier adds beyond intact or broken (events not yet under a checkpoint, ...). */
function ChainNotes({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <List size="sm" mt={4}>
      {notes.map((note) => (
        <List.Item key={note} lang="en">
          {displayText(note)}
        </List.Item>
      ))}
    </List>
  );
}

export function ChainStatus({ report }: { report: AuditVerifyReport }) {
  const t = useT();
  if (report.ok) {
    const counts = { events: report.events, checkpoints: report.checkpoints };
    return (
      <Alert color="green" title={t('audit.chain.intact')} role="status">
        <Text size="sm">
          {report.events === 0
            ? t('audit.chain.empty')
            : report.lastCheckpointSeq !== null
              ? t('audit.chain.linkedCovered', { ...counts, seq: report.lastCheckpointSeq })
              : t('audit.chain.linked', counts)}
        </Text>
        <ChainNotes notes={report.notes} />
      </Alert>
    );
  }
  return (
    <Alert color="red" title={t('audit.chain.broken', { seq: report.firstBroken?.seq ?? '?' })} role="alert">
      <Text size="sm" lang={report.firstBroken ? 'en' : undefined}>
        {report.firstBroken ? displayText(report.firstBroken.reason) : t('audit.chain.failed')}
      </Text>
      <Text size="sm" mt={4}>
        <Text span fw={600}>
          {t('common.next')}{' '}
        </Text>
        {t('audit.chain.next', { seq: report.firstBroken?.seq ?? '?' })}
      </Text>
      <ChainNotes notes={report.notes} />
    </Alert>
  );
}

/** The audit check as a job: started when the view is shown (and on demand), its progress, its verdict. */
function ChainCheck({ active, again }: { active: boolean; again: number }) {
  const api = useApi();
  const t = useT();
  const run = useJobRun();
  const finished = run.job.finished;
  const running = run.jobId !== null && finished === null;
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  const runningRef = useRef(false);
  runningRef.current = running;
  const { start } = run;

  const check = () => {
    if (runningRef.current) return;
    void start(() => call(api, 'startVerifyAudit', {}));
  };

  // Hidden sections stay mounted: check when shown (and after a checkpoint), so the verdict covers what just happened.
  // `check` reads whether a check runs through a ref, so a re-render does not start another.
  const checkRef = useRef(check);
  checkRef.current = check;
  useEffect(() => {
    if (active) checkRef.current();
  }, [active, again]);

  useEffect(() => {
    if (finished?.kind === 'audit-verify' && finished.state === 'succeeded' && finished.result) setReport(finished.result);
  }, [finished]);

  const failed = finished && finished.state !== 'succeeded' ? finished.error : null;
  return (
    <Stack gap="xs" aria-label={t('audit.check.region')} role="region">
      {report && !running ? <ChainStatus report={report} /> : null}
      {running ? <JobProgress progress={run.job.progress} onCancel={run.cancel} cancelling={run.cancelling} /> : null}
      {failed ? <ErrorAlert error={failed} title={finished?.state === 'cancelled' ? t('audit.check.cancelled') : t('audit.check.failed')} /> : null}
      {run.error ? <ErrorAlert error={run.error} title={t('audit.check.failed')} /> : null}
      <Group>
        <Button variant="default" onClick={check} disabled={running}>
          {t('audit.verifyAgain')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * `audit checkpoint`: the station key signs the log's head now. The passphrase field appears only
 * when asked for (the Audit view stays mounted while hidden: a second "Station key passphrase"
 * field on every page would be one more password field than the operator sees, for tools and
 * screen readers alike), and goes again once the head is signed.
 */
function CheckpointForm({ onSigned }: { onSigned: () => void }) {
  const api = useApi();
  const t = useT();
  const [open, setOpen] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [signed, setSigned] = useState<{ checkpoint: AuditCheckpointView | null } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (passphrase === '') return;
    const value = passphrase;
    // The passphrase leaves this form with the request and is not kept.
    setPassphrase('');
    setBusy(true);
    setError(null);
    setSigned(null);
    try {
      setSigned(await call(api, 'checkpointAudit', { passphrase: value }));
      setOpen(false);
      onSigned();
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setOpen(false);
    setPassphrase('');
    setError(null);
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="audit-checkpoint-title">
      <Stack gap="xs">
        <Title order={3} id="audit-checkpoint-title">
          {t('audit.checkpoint.title')}
        </Title>
        <Text size="sm">{t('audit.checkpoint.text')}</Text>
        {open ? (
          <>
            <PasswordInput
              visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
              label={t('audit.checkpoint.passphrase')}
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              autoComplete="off"
              required
              maw={480}
              autoFocus
            />
            <Group>
              <Button type="submit" disabled={passphrase === '' || busy} loading={busy}>
                {t('audit.checkpoint.submit')}
              </Button>
              <Button variant="default" onClick={close} disabled={busy}>
                {t('audit.checkpoint.close')}
              </Button>
            </Group>
          </>
        ) : (
          <Group>
            <Button variant="default" onClick={() => setOpen(true)}>
              {t('audit.checkpoint.open')}
            </Button>
          </Group>
        )}
        {error ? <ErrorAlert error={error} /> : null}
        {signed ? (
          signed.checkpoint ? (
            <Alert color="green" role="status" title={t('audit.checkpoint.signed', { seq: signed.checkpoint.seq })}>
              <Stack gap={4}>
                <Text size="sm">
                  {t('audit.checkpoint.hash')}{' '}
                  <Code translate="no" style={{ overflowWrap: 'anywhere' }}>
                    {displayText(signed.checkpoint.hash)}
                  </Code>
                </Text>
                <Text size="sm">{t('audit.checkpoint.key')}</Text>
                <Fingerprint value={signed.checkpoint.fingerprint} />
              </Stack>
            </Alert>
          ) : (
            <Alert color="gray" role="status">
              {t('audit.checkpoint.empty')}
            </Alert>
          )
        ) : null}
      </Stack>
    </form>
  );
}

export function AuditChainPanel({ active }: { active: boolean }) {
  const [again, setAgain] = useState(0);
  return (
    <Stack gap="lg">
      <ChainCheck active={active} again={again} />
      <CheckpointForm onSigned={() => setAgain((n) => n + 1)} />
    </Stack>
  );
}

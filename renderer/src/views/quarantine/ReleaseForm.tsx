/**
 * One operator's decision to release a quarantined bundle (issue #16.5): a destination folder, a
 * reason (required: it goes into the audit log), the bundle's name typed as confirmation, the
 * operator's name, and how they prove who they are. Where the policy requires two persons each
 * operator signs with their own key, one after the other: the first decision is recorded and the
 * bundle stays held; the second (another key, the same destination) releases it. The release
 * imports the bundle, so it runs as a job with progress and cancel like an import; main checks the
 * typed name again before the job starts.
 */
import { Alert, Button, Code, Fieldset, Group, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { QuarantineEntry } from '../../../../shared/inspection.js';
import type { QuarantineDetailView, ReleaseSignerRequest } from '../../../../shared/ipc.js';
import { confirmsBundleName } from '../../../../shared/quarantine-confirm.js';
import { call, useApi } from '../../api.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { JobProgress } from '../../components/JobProgress.js';
import { PathPicker } from '../../components/PathPicker.js';
import type { MessageId } from '../../i18n/en.js';
import { Msg, useT, type Translate } from '../../i18n/useT.js';
import { ProblemList } from '../../components/ProblemList.js';
import { useJobRun } from '../../hooks/useJobRun.js';

export interface ReleaseFormProps {
  entry: QuarantineEntry;
  approvals: QuarantineDetailView['approvals'];
  /** Called once a release job has ended, so the list and details reload. */
  onFinished: () => void;
}

type SignerKind = 'none' | ReleaseSignerRequest['kind'];

const SIGNER_LABELS: Record<SignerKind, MessageId> = {
  none: 'quarantine.release.signer.none',
  station: 'quarantine.release.signer.station',
  'key-file': 'quarantine.release.signer.keyFile',
  gpg: 'quarantine.release.signer.gpg',
};

interface SignerForm {
  kind: SignerKind;
  passphrase: string;
  file: string | null;
  fingerprint: string;
}

/** The signer the form describes, or why it is not complete yet. */
function signerOf(t: Translate, form: SignerForm): { signer: ReleaseSignerRequest | undefined } | { missing: string } {
  switch (form.kind) {
    case 'none':
      return { signer: undefined };
    case 'station':
      return form.passphrase === '' ? { missing: t('quarantine.release.missing.passphrase') } : { signer: { kind: 'station', passphrase: form.passphrase } };
    case 'key-file':
      if (form.file === null) return { missing: t('quarantine.release.missing.keyFile') };
      return form.passphrase === ''
        ? { missing: t('quarantine.release.missing.keyPassphrase') }
        : { signer: { kind: 'key-file', file: form.file, passphrase: form.passphrase } };
    case 'gpg':
      if (!/^[0-9A-Fa-f\s:]{40,100}$/u.test(form.fingerprint.trim())) return { missing: t('quarantine.release.missing.fingerprint') };
      return { signer: { kind: 'gpg', fingerprint: form.fingerprint.trim(), passphrase: form.passphrase === '' ? undefined : form.passphrase } };
  }
}

function ReleaseJob({ run }: { run: ReturnType<typeof useJobRun> }) {
  const t = useT();
  const code = (chunks: ReactNode[]) => <Code>{chunks}</Code>;
  const finished = run.job.finished;
  const result = finished?.kind === 'quarantine-release' ? finished.result : null;
  const imported = result?.import ?? null;
  return (
    <Stack gap="sm" data-testid="release-job">
      {finished === null ? <JobProgress progress={run.job.progress} cancelling={run.cancelling} onCancel={run.cancel} /> : null}
      {finished?.error ? <ErrorAlert error={finished.error} title={t('quarantine.release.failed')} /> : null}
      {result && imported === null ? (
        <Alert color="yellow" title={t('quarantine.release.recorded')} role="status" icon={<span aria-hidden="true">⏸</span>}>
          <Text size="sm">
            {t('quarantine.release.recordedText', { given: result.approvals.given, required: result.approvals.required, event: result.auditEvent })}
          </Text>
        </Alert>
      ) : null}
      {imported?.ok ? (
        <Alert color="green" title={t('quarantine.release.released')} role="status" icon={<span aria-hidden="true">✓</span>}>
          <Text size="sm">
            <Msg id="quarantine.release.releasedText" values={{ path: displayText(imported.destination ?? ''), event: result?.auditEvent, code }} />
          </Text>
          {imported.overridden && imported.overridden.length > 0 ? (
            <Text size="sm" mt="xs" data-overridden={imported.overridden.length}>
              {t('quarantine.release.overridden')}{' '}
              <span translate="no">
                {imported.overridden.map((p) => `${p.code} ${[p.path ?? '', ...(p.members ?? [])].map(displayText).join(' › ')}`).join('; ')}
              </span>
            </Text>
          ) : null}
        </Alert>
      ) : null}
      {imported && !imported.ok ? (
        <Alert color="red" title={t('quarantine.release.refusedAgain')} role="alert" icon={<span aria-hidden="true">✗</span>}>
          <Text size="sm" mb="xs">
            {t('quarantine.release.refusedAgainText')}
          </Text>
          <ProblemList problems={imported.problems} />
        </Alert>
      ) : null}
      {finished ? (
        <Group>
          <Button variant="default" onClick={run.reset}>
            {t('quarantine.release.back')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

export function ReleaseForm({ entry, approvals, onFinished }: ReleaseFormProps) {
  const api = useApi();
  const t = useT();
  const run = useJobRun();
  const twoPersons = approvals.required === 2;
  const [destDir, setDestDir] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [operator, setOperator] = useState('');
  const [confirm, setConfirm] = useState('');
  const [signerForm, setSignerForm] = useState<SignerForm>({ kind: twoPersons ? 'station' : 'none', passphrase: '', file: null, fingerprint: '' });
  // Reload the list and details once per finished job (the parent's callback may change identity).
  const notify = useRef(onFinished);
  notify.current = onFinished;
  const finishedId = run.job.finished?.id ?? null;
  useEffect(() => {
    if (finishedId !== null) notify.current();
  }, [finishedId]);

  if (run.jobId !== null) return <ReleaseJob run={run} />;

  const signer = signerOf(t, signerForm);
  const missing = [
    destDir === null ? t('quarantine.release.missing.destination') : null,
    reason.trim() === '' ? t('quarantine.release.missing.reason') : null,
    !confirmsBundleName(confirm, entry.bundleName) ? t('quarantine.release.missing.name') : null,
    'missing' in signer ? signer.missing : null,
  ].filter((m): m is string => m !== null);
  const second = twoPersons && approvals.given >= 1;

  const release = () => {
    if (destDir === null || missing.length > 0 || 'missing' in signer) return;
    // The passphrase leaves this state as the job starts.
    setSignerForm((f) => ({ ...f, passphrase: '' }));
    void run.start(() =>
      call(api, 'startQuarantineRelease', {
        id: entry.id,
        destDir,
        reason: reason.trim(),
        confirmName: confirm.trim(),
        operator: operator.trim() === '' ? undefined : operator.trim(),
        signer: signer.signer,
      }),
    );
  };
  const kinds: SignerKind[] = twoPersons ? ['station', 'key-file', 'gpg'] : ['none', 'station', 'key-file', 'gpg'];
  return (
    <Fieldset legend={second ? t('quarantine.release.legendSecond') : t('quarantine.release.legend')} data-testid="release-form">
      <Stack gap="sm">
        <Text size="sm">{t('quarantine.release.intro')}</Text>
        {twoPersons ? (
          <Text size="sm" fw={600} data-approvals={`${approvals.given}/${approvals.required}`}>
            {t('quarantine.release.twoPersons', { given: approvals.given })}{' '}
            {second ? t('quarantine.release.youAreSecond') : t('quarantine.release.youAreFirst')}
          </Text>
        ) : null}
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('quarantine.release.destination')}
          </Text>
          <DestinationPicker purpose="import-destination" value={destDir} onChange={setDestDir} />
        </Stack>
        <Textarea
          label={t('quarantine.release.reason')}
          description={t('quarantine.release.reasonHelp')}
          required
          rows={2}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <TextInput
          label={t('quarantine.release.name')}
          description={t('quarantine.release.nameHelp')}
          maxLength={200}
          value={operator}
          onChange={(e) => setOperator(e.currentTarget.value)}
        />
        <Radio.Group
          label={t('quarantine.release.prove')}
          description={twoPersons ? t('quarantine.release.proveTwo') : t('quarantine.release.proveOne')}
          value={signerForm.kind}
          onChange={(kind) => setSignerForm({ ...signerForm, kind, passphrase: '' })}
        >
          <Stack gap={4} mt={4}>
            {kinds.map((kind) => (
              <Radio key={kind} value={kind} label={t(SIGNER_LABELS[kind])} />
            ))}
          </Stack>
        </Radio.Group>
        {signerForm.kind === 'key-file' ? (
          <PathPicker
            labels={{ choose: t('picker.keyFile.choose'), another: t('picker.keyFile.another'), chosen: t('picker.keyFile.chosen') }}
            emptyText={t('picker.keyFile.empty')}
            value={signerForm.file}
            onChange={(file) => setSignerForm({ ...signerForm, file })}
            choose={async () => (await call(api, 'chooseFile', { purpose: 'signing-key' })).paths[0] ?? null}
          />
        ) : null}
        {signerForm.kind === 'gpg' ? (
          <TextInput
            label={t('quarantine.release.fingerprint')}
            spellCheck={false}
            autoComplete="off"
            value={signerForm.fingerprint}
            onChange={(e) => setSignerForm({ ...signerForm, fingerprint: e.currentTarget.value })}
          />
        ) : null}
        {signerForm.kind !== 'none' ? (
          <TextInput
            type="password"
            label={signerForm.kind === 'gpg' ? t('quarantine.release.passphraseGpg') : t('quarantine.release.passphrase')}
            autoComplete="off"
            value={signerForm.passphrase}
            onChange={(e) => setSignerForm({ ...signerForm, passphrase: e.currentTarget.value })}
          />
        ) : null}
        <TextInput
          label={t('quarantine.release.confirmLabel')}
          description={<Msg id="quarantine.confirm.description" values={{ name: displayText(entry.bundleName), code: (chunks) => <Code>{chunks}</Code> }} />}
          required
          autoComplete="off"
          spellCheck={false}
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={confirm.trim() !== '' && !confirmsBundleName(confirm, entry.bundleName) ? t('quarantine.release.notTheName') : null}
        />
        {run.error ? <ErrorAlert error={run.error} title={t('quarantine.release.failed')} /> : null}
        <Group>
          <Button color="orange" onClick={release} disabled={missing.length > 0}>
            {twoPersons && !second ? t('quarantine.release.approve') : t('quarantine.release.button')}
          </Button>
          <Text size="sm" aria-live="polite">
            {missing.length > 0 ? t('quarantine.release.stillNeeded', { missing: missing.join(', ') }) : t('quarantine.release.ready')}
          </Text>
        </Group>
      </Stack>
    </Fieldset>
  );
}

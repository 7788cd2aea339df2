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
import { useEffect, useRef, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { QuarantineEntry } from '../../../../shared/inspection.js';
import type { QuarantineDetailView, ReleaseSignerRequest } from '../../../../shared/ipc.js';
import { confirmsBundleName } from '../../../../shared/quarantine-confirm.js';
import { call, useApi } from '../../api.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { JobProgress } from '../../components/JobProgress.js';
import { PathPicker } from '../../components/PathPicker.js';
import { useT } from '../../i18n/useT.js';
import { ProblemList } from '../../components/ProblemList.js';
import { useJobRun } from '../../hooks/useJobRun.js';

export interface ReleaseFormProps {
  entry: QuarantineEntry;
  approvals: QuarantineDetailView['approvals'];
  /** Called once a release job has ended, so the list and details reload. */
  onFinished: () => void;
}

type SignerKind = 'none' | ReleaseSignerRequest['kind'];

const SIGNER_LABELS: Record<SignerKind, string> = {
  none: 'No key: my name and reason only',
  station: 'The station key (its passphrase)',
  'key-file': 'My own key file',
  gpg: 'My GnuPG key or smartcard',
};

interface SignerForm {
  kind: SignerKind;
  passphrase: string;
  file: string | null;
  fingerprint: string;
}

/** The signer the form describes, or why it is not complete yet. */
function signerOf(form: SignerForm): { signer: ReleaseSignerRequest | undefined } | { missing: string } {
  switch (form.kind) {
    case 'none':
      return { signer: undefined };
    case 'station':
      return form.passphrase === '' ? { missing: "the station key's passphrase" } : { signer: { kind: 'station', passphrase: form.passphrase } };
    case 'key-file':
      if (form.file === null) return { missing: 'your key file' };
      return form.passphrase === '' ? { missing: "your key's passphrase" } : { signer: { kind: 'key-file', file: form.file, passphrase: form.passphrase } };
    case 'gpg':
      if (!/^[0-9A-Fa-f\s:]{40,100}$/u.test(form.fingerprint.trim())) return { missing: "your GnuPG key's fingerprint (40 hex digits)" };
      return { signer: { kind: 'gpg', fingerprint: form.fingerprint.trim(), passphrase: form.passphrase === '' ? undefined : form.passphrase } };
  }
}

function ReleaseJob({ run }: { run: ReturnType<typeof useJobRun> }) {
  const finished = run.job.finished;
  const result = finished?.kind === 'quarantine-release' ? finished.result : null;
  const imported = result?.import ?? null;
  return (
    <Stack gap="sm" data-testid="release-job">
      {finished === null ? <JobProgress progress={run.job.progress} cancelling={run.cancelling} onCancel={run.cancel} /> : null}
      {finished?.error ? <ErrorAlert error={finished.error} title="Not released" /> : null}
      {result && imported === null ? (
        <Alert color="yellow" title="Your approval is recorded" role="status" icon={<span aria-hidden="true">⏸</span>}>
          <Text size="sm">
            {result.approvals.given} of {result.approvals.required} approvals given. The bundle stays in quarantine until a second operator, with their own key,
            approves the release to the same folder. Recorded in the audit log as event #{result.auditEvent}.
          </Text>
        </Alert>
      ) : null}
      {imported?.ok ? (
        <Alert color="green" title="Released" role="status" icon={<span aria-hidden="true">✓</span>}>
          <Text size="sm">
            Verified again byte for byte and imported to <Code>{displayText(imported.destination ?? '')}</Code>. Recorded in the audit log as event #
            {result?.auditEvent}.
          </Text>
          {imported.overridden && imported.overridden.length > 0 ? (
            <Text size="sm" mt="xs" data-overridden={imported.overridden.length}>
              Findings accepted by this release, as recorded at quarantine:{' '}
              {imported.overridden.map((p) => `${p.code} ${[p.path ?? '', ...(p.members ?? [])].map(displayText).join(' › ')}`).join('; ')}.
            </Text>
          ) : null}
        </Alert>
      ) : null}
      {imported && !imported.ok ? (
        <Alert color="red" title="Not released: the bundle was refused again" role="alert" icon={<span aria-hidden="true">✗</span>}>
          <Text size="sm" mb="xs">
            A release accepts only the findings recorded when the bundle was quarantined. This time something else refused it; nothing was imported.
          </Text>
          <ProblemList problems={imported.problems} />
        </Alert>
      ) : null}
      {finished ? (
        <Group>
          <Button variant="default" onClick={run.reset}>
            Back
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

  const signer = signerOf(signerForm);
  const missing = [
    destDir === null ? 'a destination folder' : null,
    reason.trim() === '' ? 'a reason' : null,
    !confirmsBundleName(confirm, entry.bundleName) ? 'the bundle name typed exactly' : null,
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
    <Fieldset legend={second ? 'Second approval of the release' : 'Release from quarantine'} data-testid="release-form">
      <Stack gap="sm">
        <Text size="sm">
          Content inspection refused this bundle. Releasing it imports it anyway (verified again in full; only the findings recorded here are accepted), under
          your name and with your reason, recorded in the audit log. Release only what your security officer has decided to let through.
        </Text>
        {twoPersons ? (
          <Text size="sm" fw={600} data-approvals={`${approvals.given}/${approvals.required}`}>
            ⚠ Two persons are required: {approvals.given} of 2 approvals given.{' '}
            {second
              ? 'You are the second operator: sign with your own key (not the first operator’s) and choose the same destination folder.'
              : 'Your approval is recorded first; a second operator, with their own key, then approves the release to the same folder.'}
          </Text>
        ) : null}
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Destination folder
          </Text>
          <DestinationPicker purpose="import-destination" value={destDir} onChange={setDestDir} />
        </Stack>
        <Textarea
          label="Reason for the release"
          description="Recorded in the audit log with your name: who decided, and why."
          required
          rows={2}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <TextInput
          label="Your name"
          description="Recorded with this computer's user. Empty: the operator name in Settings."
          maxLength={200}
          value={operator}
          onChange={(e) => setOperator(e.currentTarget.value)}
        />
        <Radio.Group
          label="Prove who you are"
          description={twoPersons ? 'Each of the two operators signs with a different key.' : 'Optional here: a signed decision names your key in the record.'}
          value={signerForm.kind}
          onChange={(kind) => setSignerForm({ ...signerForm, kind, passphrase: '' })}
        >
          <Stack gap={4} mt={4}>
            {kinds.map((kind) => (
              <Radio key={kind} value={kind} label={SIGNER_LABELS[kind]} />
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
            label="GnuPG key fingerprint"
            spellCheck={false}
            autoComplete="off"
            value={signerForm.fingerprint}
            onChange={(e) => setSignerForm({ ...signerForm, fingerprint: e.currentTarget.value })}
          />
        ) : null}
        {signerForm.kind !== 'none' ? (
          <TextInput
            type="password"
            label={signerForm.kind === 'gpg' ? 'Passphrase (empty: GnuPG asks)' : 'Passphrase'}
            autoComplete="off"
            value={signerForm.passphrase}
            onChange={(e) => setSignerForm({ ...signerForm, passphrase: e.currentTarget.value })}
          />
        ) : null}
        <TextInput
          label="Type the bundle's name to confirm"
          description={
            <>
              Type <Code>{displayText(entry.bundleName)}</Code> exactly as shown.
            </>
          }
          required
          autoComplete="off"
          spellCheck={false}
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={confirm.trim() !== '' && !confirmsBundleName(confirm, entry.bundleName) ? 'This is not the bundle’s name.' : null}
        />
        {run.error ? <ErrorAlert error={run.error} title="Not released" /> : null}
        <Group>
          <Button color="orange" onClick={release} disabled={missing.length > 0}>
            {twoPersons && !second ? 'Approve the release' : 'Release and import'}
          </Button>
          <Text size="sm" aria-live="polite">
            {missing.length > 0 ? `Still needed: ${missing.join(', ')}.` : 'Ready: the decision will be recorded under your name.'}
          </Text>
        </Group>
      </Stack>
    </Fieldset>
  );
}

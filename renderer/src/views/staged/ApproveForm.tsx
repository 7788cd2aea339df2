/**
 * The second person's review and signature (the CLI's `approve`): first what is about to be
 * signed — the bundle's name and id, its files, size and images from the signed manifest, and who
 * has signed so far — then how the approver proves who they are (the station key, their own key
 * file, or a GnuPG key) and the bundle's name typed as confirmation, as the CLI asks for it. Main
 * checks the typed name again; core refuses a key that has already signed (another person's key).
 */
import { Alert, Button, Code, Fieldset, Group, List, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError, ReleaseSignerRequest, StagedEntryView, StagedSummaryView } from '../../../../shared/ipc.js';
import { confirmsBundleName } from '../../../../shared/quarantine-confirm.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { ImagesTable } from '../../components/ImagesTable.js';
import { PathPicker } from '../../components/PathPicker.js';
import { useFormat } from '../../i18n/format.js';
import { Msg, useT, type Translate } from '../../i18n/useT.js';

/** Files listed on screen; the count says how many there are. */
const FILES_SHOWN = 20;

type SignerKind = ReleaseSignerRequest['kind'];
interface SignerForm {
  kind: SignerKind;
  passphrase: string;
  file: string | null;
  fingerprint: string;
}

/** The signer the form describes, or what it still needs. */
function signerOf(t: Translate, form: SignerForm): { signer: ReleaseSignerRequest } | { missing: string } {
  switch (form.kind) {
    case 'station':
      return form.passphrase === '' ? { missing: t('staged.approve.missing.passphrase') } : { signer: { kind: 'station', passphrase: form.passphrase } };
    case 'key-file':
      if (form.file === null) return { missing: t('staged.approve.missing.keyFile') };
      return form.passphrase === ''
        ? { missing: t('staged.approve.missing.passphrase') }
        : { signer: { kind: 'key-file', file: form.file, passphrase: form.passphrase } };
    case 'gpg':
      if (!/^[0-9A-Fa-f\s:]{40,100}$/u.test(form.fingerprint.trim())) return { missing: t('staged.approve.missing.fingerprint') };
      return { signer: { kind: 'gpg', fingerprint: form.fingerprint.trim(), passphrase: form.passphrase === '' ? undefined : form.passphrase } };
  }
}

/** What is about to be signed, as the CLI's approve prints it. */
export function StagedSummaryPanel({ summary }: { summary: StagedSummaryView }) {
  const t = useT();
  const f = useFormat();
  const shown = summary.files.slice(0, FILES_SHOWN);
  return (
    <Stack gap="xs" data-testid="staged-summary">
      <Text size="sm">
        <Msg
          id="staged.summary.what"
          values={{ name: displayText(summary.name), uuid: summary.uuid, code: (chunks) => <Code translate="no">{chunks}</Code> }}
        />
      </Text>
      <Text size="sm" fw={600} data-files={summary.fileCount}>
        {t('staged.summary.totals', { files: summary.fileCount, size: f.bytes(summary.totalBytes) })}
        {summary.images ? ` ${t('staged.summary.images', { images: summary.images.images.length, layout: summary.imageLayoutFiles })}` : ''}
      </Text>
      {shown.length > 0 ? (
        <List size="sm" aria-label={t('staged.summary.files')}>
          {shown.map((path) => (
            <List.Item key={path}>
              <Code translate="no" style={{ overflowWrap: 'anywhere' }}>
                {displayText(path)}
              </Code>
            </List.Item>
          ))}
        </List>
      ) : null}
      {summary.fileCount > shown.length ? <Text size="sm">{t('staged.summary.more', { count: summary.fileCount - shown.length })}</Text> : null}
      {summary.images ? <ImagesTable images={summary.images.images} /> : null}
      <Title order={4}>{t('staged.summary.signedBy')}</Title>
      <List size="sm" aria-label={t('staged.summary.signedBy')}>
        {summary.signatures.map((s) => (
          <List.Item key={s.fingerprint}>
            <Stack gap={2}>
              <Text size="sm">
                {displayText(s.userIds.join(', '))}{' '}
                {s.trustedLabel ? t('staged.summary.trusted', { label: displayText(s.trustedLabel) }) : t('staged.summary.untrusted')}
                {s.role ? ` ${t('staged.summary.role', { role: displayText(s.role) })}` : ''}
              </Text>
              <Fingerprint value={s.fingerprint} />
            </Stack>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

export function ApproveForm({ name, source, onClose }: { name: string; source?: StagedEntryView['source']; onClose: () => void }) {
  const api = useApi();
  const t = useT();
  const [summary, setSummary] = useState<StagedSummaryView | null>(null);
  const [approved, setApproved] = useState<StagedSummaryView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [form, setForm] = useState<SignerForm>({ kind: 'station', passphrase: '', file: null, fingerprint: '' });

  useEffect(() => {
    call(api, 'describeStaged', { name, source }).then(setSummary, (e: unknown) => setError(asIpcError(e)));
  }, [api, name, source]);

  if (approved) {
    const mine = approved.signatures.at(-1);
    return (
      <Alert color="green" role="status" title={t('staged.approve.done', { name: displayText(approved.name), count: approved.signatures.length })}>
        <Stack gap="xs">
          {mine ? (
            <Text size="sm">
              {t('staged.approve.yours')} <Fingerprint value={mine.fingerprint} />
            </Text>
          ) : null}
          <Text size="sm">{t('staged.approve.next')}</Text>
          <Group>
            <Button onClick={onClose}>{t('staged.backToList')}</Button>
          </Group>
        </Stack>
      </Alert>
    );
  }

  const signer = signerOf(t, form);
  const nameOk = summary !== null && confirmsBundleName(confirm, summary.name);
  const missing = [!nameOk ? t('staged.approve.missing.name') : null, 'missing' in signer ? signer.missing : null].filter((m): m is string => m !== null);

  const approve = async () => {
    if (!summary || 'missing' in signer || !nameOk) return;
    setBusy(true);
    setError(null);
    // The passphrase leaves this form with the request.
    setForm((current) => ({ ...current, passphrase: '' }));
    try {
      setApproved(await call(api, 'approveStaged', { name, source, confirmName: confirm.trim(), signer: signer.signer }));
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Fieldset legend={t('staged.approve.legend', { name: displayText(name) })} data-testid="approve-form">
      <Stack gap="sm">
        <Text size="sm">{t('staged.approve.intro')}</Text>
        {summary ? <StagedSummaryPanel summary={summary} /> : null}
        {error ? <ErrorAlert error={error} title={t('staged.approve.failed')} /> : null}
        {summary ? (
          <>
            <Radio.Group
              label={t('staged.approve.prove')}
              description={t('staged.approve.proveHelp')}
              value={form.kind}
              onChange={(kind) => setForm({ ...form, kind, passphrase: '' })}
            >
              <Stack gap={4} mt={4}>
                <Radio value="station" label={t('staged.approve.signer.station')} />
                <Radio value="key-file" label={t('staged.approve.signer.keyFile')} />
                <Radio value="gpg" label={t('staged.approve.signer.gpg')} />
              </Stack>
            </Radio.Group>
            {form.kind === 'key-file' ? (
              <PathPicker
                labels={{ choose: t('picker.keyFile.choose'), another: t('picker.keyFile.another'), chosen: t('picker.keyFile.chosen') }}
                emptyText={t('picker.keyFile.empty')}
                value={form.file}
                onChange={(file) => setForm({ ...form, file })}
                choose={async () => (await call(api, 'chooseFile', { purpose: 'signing-key' })).paths[0] ?? null}
              />
            ) : null}
            {form.kind === 'gpg' ? (
              <TextInput
                label={t('staged.approve.fingerprint')}
                spellCheck={false}
                autoComplete="off"
                value={form.fingerprint}
                onChange={(e) => setForm({ ...form, fingerprint: e.currentTarget.value })}
              />
            ) : null}
            <TextInput
              type="password"
              label={
                form.kind === 'gpg'
                  ? t('staged.approve.passphraseGpg')
                  : form.kind === 'station'
                    ? t('staged.approve.passphraseStation')
                    : t('staged.approve.passphraseKey')
              }
              autoComplete="off"
              value={form.passphrase}
              onChange={(e) => setForm({ ...form, passphrase: e.currentTarget.value })}
            />
            <TextInput
              label={t('staged.approve.confirmLabel')}
              description={<Msg id="staged.approve.confirmHelp" values={{ name: displayText(summary.name), code: (chunks) => <Code>{chunks}</Code> }} />}
              required
              autoComplete="off"
              spellCheck={false}
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              error={confirm.trim() !== '' && !nameOk ? t('staged.approve.notTheName') : null}
            />
          </>
        ) : null}
        <Group>
          <Button onClick={() => void approve()} disabled={summary === null || missing.length > 0 || busy} loading={busy}>
            {t('staged.approve.submit')}
          </Button>
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('staged.cancelAction')}
          </Button>
          {summary ? (
            <Text size="sm" aria-live="polite">
              {missing.length > 0 ? t('staged.stillNeeded', { missing: missing.join(', ') }) : t('staged.approve.ready')}
            </Text>
          ) : null}
        </Group>
      </Stack>
    </Fieldset>
  );
}

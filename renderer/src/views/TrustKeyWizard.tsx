/**
 * Trust a signer's public key: choose the file, see its fingerprint grouped, and type the
 * fingerprint as the key's owner reads it to you over a channel you trust. Only what the operator
 * typed goes to core as expectedFingerprint (as with the CLI's --fingerprint), so neither a
 * swapped file nor a careless click can make the station trust a key nobody compared.
 */
import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import { normalizeFingerprint } from '../../../shared/fingerprint.js';
import type { IpcError, IpcResponse } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { Msg, useT } from '../i18n/useT.js';
import { StatusText } from '../components/StatusIcon.js';

type Inspected = IpcResponse<'inspectKeyFile'> & { file: string };

export function TrustKeyWizard({ onTrusted }: { onTrusted: (message: string) => void }) {
  const api = useApi();
  const t = useT();
  const [key, setKey] = useState<Inspected | null>(null);
  const [typed, setTyped] = useState('');
  const [label, setLabel] = useState('');
  // `keys trust --role`: what policy.json's requiredSigners.roles counts (the two-person rule by role).
  const [role, setRole] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);

  const typedMatches = typed !== '' && normalizeFingerprint(typed) === key?.fingerprint;
  const typedWrong = typed.replace(/\s/g, '').length >= 40 && !typedMatches;
  const confirmed = typedMatches;

  const reset = () => {
    setKey(null);
    setTyped('');
    setLabel('');
    setRole('');
  };
  const choose = async () => {
    setError(null);
    try {
      const { path } = await call(api, 'chooseKeyFile', {});
      if (path === null) return;
      reset();
      setKey({ ...(await call(api, 'inspectKeyFile', { file: path })), file: path });
    } catch (e) {
      setError(asIpcError(e));
    }
  };
  const trust = async () => {
    if (!key || !confirmed) return;
    setBusy(true);
    setError(null);
    try {
      const {
        signer,
        alreadyTrusted,
        sha1Subkeys = [],
      } = await call(api, 'trustKeyFile', {
        file: key.file,
        expectedFingerprint: normalizeFingerprint(typed),
        label: label.trim() ? label : undefined,
        role: role.trim() ? role.trim() : undefined,
      });
      reset();
      const trusted = t(alreadyTrusted ? 'trust.already' : 'trust.now', { name: displayText(signer.userIds.join(', ')) });
      onTrusted(sha1Subkeys.length === 0 ? trusted : `${trusted} ${t('trust.sha1Subkeys', { subkeys: sha1Subkeys.join(', ') })}`);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={640}>
      <Text size="sm" c="dimmed">
        {t('trust.intro')}
      </Text>
      <Group>
        <Button variant={key ? 'default' : 'filled'} onClick={() => void choose()}>
          {key ? t('trust.another') : t('trust.choose')}
        </Button>
      </Group>
      {key ? (
        <Stack gap="sm" aria-label={t('trust.panel')}>
          <Text size="sm">
            <Msg
              id="trust.holds"
              values={{
                file: displayText(key.file),
                name: key.userIds.length > 0 ? displayText(key.userIds.join(', ')) : t('keys.trusted.noUserId'),
                algorithm: displayText(key.algorithm),
                b: (chunks) => <b>{chunks}</b>,
              }}
            />
          </Text>
          <Text size="sm" fw={600}>
            {t('trust.read')}
          </Text>
          <Fingerprint value={key.fingerprint} size="lg" />
          <TextInput
            label={t('trust.type')}
            description={t('trust.typeHelp')}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            error={typedWrong ? t('trust.wrong') : null}
            autoComplete="off"
            spellCheck={false}
          />
          {typedMatches ? (
            <StatusText tone="pass" role="status">
              {t('trust.matches')}
            </StatusText>
          ) : null}
          <TextInput label={t('trust.label')} description={t('trust.labelHelp')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} maw={400} />
          <TextInput
            label={t('trust.role')}
            description={t('trust.roleHelp')}
            value={role}
            onChange={(e) => setRole(e.currentTarget.value)}
            autoComplete="off"
            spellCheck={false}
            maw={400}
          />
          {!confirmed ? (
            <Alert color="gray" variant="light">
              {t('trust.confirmFirst')}
            </Alert>
          ) : null}
          <Group>
            <Button onClick={() => void trust()} disabled={!confirmed || busy} loading={busy}>
              {t('trust.submit')}
            </Button>
            <Button variant="subtle" onClick={reset}>
              {t('trust.cancel')}
            </Button>
          </Group>
        </Stack>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}

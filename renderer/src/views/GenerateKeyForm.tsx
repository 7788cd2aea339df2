/** Create the station key: name, optional email, algorithm, passphrase typed twice. Nothing is stored but the encrypted key. */
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { IpcError } from '../../../shared/ipc.js';
import type { KeyAlgorithm } from '../../../shared/key-algorithms.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { KeyAlgorithmSelect } from '../components/KeyAlgorithmSelect.js';
import { NewPassphraseFields } from '../components/NewPassphraseFields.js';
import { useT } from '../i18n/useT.js';

export function GenerateKeyForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const t = useT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm>('ed25519');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm !== '' && confirm !== passphrase;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch || passphrase === '' || name.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      await call(api, 'generateKey', { name, passphrase, email: email.trim() ? email : undefined, algorithm });
      setPassphrase('');
      setConfirm('');
      onCreated();
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('keys.create.form')}>
      <Stack maw={480}>
        <TextInput
          label={t('keys.create.name')}
          description={t('keys.create.nameHelp')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
        />
        <TextInput label={t('keys.create.email')} value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <KeyAlgorithmSelect value={algorithm} onChange={setAlgorithm} />
        <NewPassphraseFields
          label={t('keys.create.passphrase')}
          repeatLabel={t('keys.create.repeat')}
          value={passphrase}
          onChange={setPassphrase}
          repeat={confirm}
          onRepeatChange={setConfirm}
        />
        {error ? <ErrorAlert error={error} /> : null}
        <Group>
          <Button type="submit" loading={busy} disabled={busy || mismatch || passphrase === '' || confirm === '' || name.trim() === ''}>
            {t('keys.create.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

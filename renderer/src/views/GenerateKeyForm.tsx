/** Create the station key: name, optional email, passphrase typed twice. Nothing is stored but the encrypted key. */
import { Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { IpcError } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

export function GenerateKeyForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
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
      await call(api, 'generateKey', { name, passphrase, email: email.trim() ? email : undefined });
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
    <form onSubmit={(e) => void submit(e)} aria-label="Create the station key">
      <Stack maw={480}>
        <TextInput
          label="Station name"
          description='Shown to receiving stations, e.g. "Transfer Station 3".'
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
        />
        <TextInput label="Email (optional)" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <PasswordInput
          label="Passphrase"
          description="Needed for every export. Airlock never stores it."
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          autoComplete="new-password"
          required
        />
        <PasswordInput
          label="Repeat passphrase"
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={mismatch ? 'The two passphrases differ.' : null}
          autoComplete="new-password"
          required
        />
        {error ? <ErrorAlert error={error} /> : null}
        <Group>
          <Button type="submit" loading={busy} disabled={busy || mismatch || passphrase === '' || confirm === '' || name.trim() === ''}>
            Create station key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

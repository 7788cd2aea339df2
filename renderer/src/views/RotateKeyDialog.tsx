/**
 * `keys rotate` in the app: the same confirmation and outcome as the CLI. The current passphrase
 * is proved by main before anything is retired; the new one is typed twice. The old key stays
 * trusted (retired) so earlier bundles still verify.
 */
import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { IpcError, IpcResponse } from '../../../shared/ipc.js';
import type { KeyAlgorithm } from '../../../shared/key-algorithms.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { KeyAlgorithmSelect } from '../components/KeyAlgorithmSelect.js';
import { NewPassphraseFields } from '../components/NewPassphraseFields.js';
import { useT } from '../i18n/useT.js';

export type Rotated = IpcResponse<'rotateKey'>;

export function RotateKeyDialog({ opened, onClose, onRotated }: { opened: boolean; onClose: () => void; onRotated: (rotated: Rotated) => void }) {
  const api = useApi();
  const t = useT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm>('ed25519');
  const [passphrase, setPassphrase] = useState('');
  const [newPassphrase, setNewPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const ready = name.trim() !== '' && passphrase !== '' && newPassphrase !== '' && confirm === newPassphrase;

  // Passphrases never outlive the dialog.
  const close = () => {
    setPassphrase('');
    setNewPassphrase('');
    setConfirm('');
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    try {
      const rotated = await call(api, 'rotateKey', { name, passphrase, newPassphrase, email: email.trim() ? email : undefined, algorithm });
      setName('');
      setEmail('');
      setAlgorithm('ed25519');
      close();
      onRotated(rotated);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('keyActions.rotate.title')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.dismiss') }}>
      <form onSubmit={(e) => void submit(e)} aria-label={t('keyActions.rotate.form')}>
        <Stack>
          <Text size="sm">{t('keyActions.rotate.text')}</Text>
          <TextInput
            label={t('keyActions.rotate.name')}
            description={t('keys.create.nameHelp')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            data-autofocus
          />
          <TextInput label={t('keys.create.email')} value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <KeyAlgorithmSelect value={algorithm} onChange={setAlgorithm} />
          <PasswordInput
            visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
            label={t('keyActions.rotate.current')}
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            autoComplete="current-password"
            required
          />
          <NewPassphraseFields
            label={t('keyActions.rotate.new')}
            repeatLabel={t('keyActions.rotate.repeat')}
            value={newPassphrase}
            onChange={setNewPassphrase}
            repeat={confirm}
            onRepeatChange={setConfirm}
          />
          {error ? <ErrorAlert error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('keyActions.cancel')}
            </Button>
            <Button type="submit" color="orange" loading={busy} disabled={busy || !ready}>
              {t('keyActions.rotate.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

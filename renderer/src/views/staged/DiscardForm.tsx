/**
 * Remove a staged export (the CLI's `export --discard-staged NAME`): its name typed as
 * confirmation, checked again in main; the removal is recorded (export-discard) and the name may
 * be prepared again.
 */
import { Alert, Button, Code, Fieldset, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError, StagedEntryView } from '../../../../shared/ipc.js';
import { confirmsBundleName } from '../../../../shared/quarantine-confirm.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Msg, useT } from '../../i18n/useT.js';

export function DiscardForm({ name, source, onClose }: { name: string; source?: StagedEntryView['source']; onClose: () => void }) {
  const api = useApi();
  const t = useT();
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [done, setDone] = useState(false);
  const ok = confirmsBundleName(confirm, name);

  const discard = async () => {
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      await call(api, 'discardStaged', { name, source, confirmName: confirm.trim() });
      setDone(true);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Alert color="green" role="status" title={t('staged.discard.done', { name: displayText(name) })}>
        <Group>
          <Button onClick={onClose}>{t('staged.backToList')}</Button>
        </Group>
      </Alert>
    );
  }
  return (
    <Fieldset legend={t('staged.discard.legend', { name: displayText(name) })} data-testid="discard-form">
      <Stack gap="sm">
        <Text size="sm">{t('staged.discard.intro')}</Text>
        <TextInput
          label={t('staged.discard.confirmLabel')}
          description={<Msg id="staged.approve.confirmHelp" values={{ name: displayText(name), code: (chunks) => <Code>{chunks}</Code> }} />}
          required
          autoComplete="off"
          spellCheck={false}
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={confirm.trim() !== '' && !ok ? t('staged.approve.notTheName') : null}
        />
        {error ? <ErrorAlert error={error} /> : null}
        <Group>
          <Button color="red" onClick={() => void discard()} disabled={!ok || busy} loading={busy}>
            {t('staged.discard.submit')}
          </Button>
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('staged.cancelAction')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

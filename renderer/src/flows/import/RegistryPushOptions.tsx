/**
 * Import step 4, for a bundle that carries images: push them to the internal registry after the
 * import has verified everything again. Registry, plain HTTP for a loopback registry, the CA
 * file of an HTTPS registry, and credentials (the password is never shown back).
 */
import { Button, Checkbox, Code, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { imageInputMessage, REGISTRY_EXAMPLE, REGISTRY_FORM } from '../../i18n/image-input-text.js';
import { useT } from '../../i18n/useT.js';
import { LOOPBACK_HOSTS, pushChoiceProblems, type PushChoice } from './push-choice.js';

export interface RegistryPushOptionsProps {
  imageCount: number;
  choice: PushChoice;
  onChange: (choice: PushChoice) => void;
}

export function RegistryPushOptions({ imageCount, choice, onChange }: RegistryPushOptionsProps) {
  const api = useApi();
  const t = useT();
  const [dialogError, setDialogError] = useState<IpcError | null>(null);
  const problems = pushChoiceProblems(choice);
  const update = (patch: Partial<PushChoice>) => onChange({ ...choice, ...patch });
  const chooseCa = async () => {
    setDialogError(null);
    try {
      const [path] = (await call(api, 'chooseFile', { purpose: 'registry-ca' })).paths;
      if (path !== undefined) update({ caFile: path });
    } catch (e) {
      setDialogError(asIpcError(e));
    }
  };
  return (
    <Stack gap="sm" role="group" aria-label={t('push.group')}>
      <Checkbox
        label={t('push.enable', { count: imageCount })}
        description={t('push.enableHelp')}
        checked={choice.enabled}
        onChange={(e) => update({ enabled: e.currentTarget.checked })}
      />
      {choice.enabled ? (
        <Stack gap="sm" pl="xl">
          <TextInput
            label={t('push.registry')}
            description={t('push.registryHelp', { form: REGISTRY_FORM, example: REGISTRY_EXAMPLE, target: 'PREFIX/REPOSITORY:TAG' })}
            value={choice.registry}
            onChange={(e) => update({ registry: e.currentTarget.value })}
            error={choice.registry === '' || problems.registry === null ? null : imageInputMessage(t, problems.registry)}
            required
            spellCheck={false}
            autoComplete="off"
            translate="no"
            maw={520}
          />
          <Checkbox
            label={t('push.insecure')}
            description={t('push.insecureHelp')}
            checked={choice.insecure}
            onChange={(e) => update({ insecure: e.currentTarget.checked })}
            error={problems.insecure ? t('push.insecureNotLoopback', { hosts: LOOPBACK_HOSTS }) : null}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('push.ca')}
            </Text>
            <Group gap="xs">
              <Button variant="default" onClick={() => void chooseCa()} disabled={choice.insecure}>
                {choice.caFile === null ? t('push.chooseCa') : t('push.chooseAnotherCa')}
              </Button>
              {choice.caFile !== null ? (
                <>
                  <Code aria-label={t('push.chosenCa')}>{displayText(choice.caFile)}</Code>
                  <Button variant="subtle" size="xs" onClick={() => update({ caFile: null })}>
                    {t('push.systemCaOnly')}
                  </Button>
                </>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('push.systemCas')}
                </Text>
              )}
            </Group>
          </Stack>
          <Group align="flex-start" gap="sm">
            <TextInput
              label={t('push.username')}
              value={choice.username}
              onChange={(e) => update({ username: e.currentTarget.value })}
              autoComplete="off"
              spellCheck={false}
              maw={260}
            />
            <PasswordInput
              label={t('push.password')}
              description={t('push.passwordHelp')}
              visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
              value={choice.password}
              onChange={(e) => update({ password: e.currentTarget.value })}
              error={problems.credentials ? t('push.credentialsHalf') : null}
              autoComplete="off"
              maw={260}
            />
          </Group>
        </Stack>
      ) : null}
      {dialogError ? <ErrorAlert error={dialogError} /> : null}
    </Stack>
  );
}

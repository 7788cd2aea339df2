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
import { pushChoiceProblems, type PushChoice } from './push-choice.js';

export interface RegistryPushOptionsProps {
  imageCount: number;
  choice: PushChoice;
  onChange: (choice: PushChoice) => void;
}

export function RegistryPushOptions({ imageCount, choice, onChange }: RegistryPushOptionsProps) {
  const api = useApi();
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
    <Stack gap="sm" role="group" aria-label="Push images to a registry">
      <Checkbox
        label={`Push the ${imageCount === 1 ? 'image' : `${imageCount} images`} to a registry`}
        description="After the import has verified every byte again: layers first, then manifests; each manifest digest the registry reports is checked against the signed one. Files still go to the folder above."
        checked={choice.enabled}
        onChange={(e) => update({ enabled: e.currentTarget.checked })}
      />
      {choice.enabled ? (
        <Stack gap="sm" pl="xl">
          <TextInput
            label="Registry"
            description="HOST[:PORT][/PREFIX], e.g. registry.internal:5000/mirror: images go to PREFIX/REPOSITORY:TAG."
            value={choice.registry}
            onChange={(e) => update({ registry: e.currentTarget.value })}
            error={choice.registry === '' ? null : problems.registry}
            required
            spellCheck={false}
            autoComplete="off"
            translate="no"
            maw={520}
          />
          <Checkbox
            label="Plain HTTP (a registry on this machine only)"
            description="Without it Airlock speaks HTTPS and checks the registry's certificate."
            checked={choice.insecure}
            onChange={(e) => update({ insecure: e.currentTarget.checked })}
            error={problems.insecure}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              CA certificate (optional)
            </Text>
            <Group gap="xs">
              <Button variant="default" onClick={() => void chooseCa()} disabled={choice.insecure}>
                {choice.caFile === null ? 'Choose CA file…' : 'Choose another CA file…'}
              </Button>
              {choice.caFile !== null ? (
                <>
                  <Code aria-label="Chosen CA file">{displayText(choice.caFile)}</Code>
                  <Button variant="subtle" size="xs" onClick={() => update({ caFile: null })}>
                    Use the system's CAs only
                  </Button>
                </>
              ) : (
                <Text size="sm" c="dimmed">
                  The system's CAs are trusted.
                </Text>
              )}
            </Group>
          </Stack>
          <Group align="flex-start" gap="sm">
            <TextInput
              label="User name (optional)"
              value={choice.username}
              onChange={(e) => update({ username: e.currentTarget.value })}
              autoComplete="off"
              spellCheck={false}
              maw={260}
            />
            <PasswordInput
              label="Password or token (optional)"
              description="Used for this push only; never stored or shown."
              value={choice.password}
              onChange={(e) => update({ password: e.currentTarget.value })}
              error={problems.credentials}
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

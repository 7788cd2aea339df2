/**
 * Import step 4: the folder the payload goes into (as DIR/<bundle name>/, never merged), for a
 * bundle with images the registry push, and the station key's passphrase that signs the receipt.
 */
import { Button, Group, Stack, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError, VerifyReport } from '../../../../shared/ipc.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { StepHeader } from '../../components/StepHeader.js';
import { groupFingerprint } from '../../../../shared/fingerprint.js';
import { useT } from '../../i18n/useT.js';
import { pushChoiceReady, type PushChoice } from './push-choice.js';
import { RegistryPushOptions } from './RegistryPushOptions.js';
import { ImportSigningField, signingReady, useStationKey, type ImportSigning } from './ImportSigningField.js';

export interface ImportDestinationStepProps {
  report: VerifyReport;
  destDir: string | null;
  onChange: (path: string) => void;
  push: PushChoice;
  onPushChange: (push: PushChoice) => void;
  signing: ImportSigning;
  onSigningChange: (signing: ImportSigning) => void;
  /** The last import's signing error (a wrong passphrase): the operator types it again here. */
  signError?: IpcError | null | undefined;
  onBack: () => void;
  onImport: () => void;
  /** Content inspection refused the bundle: this import is refused too, and keeps it in quarantine. */
  quarantining?: boolean | undefined;
}

export function ImportDestinationStep(props: ImportDestinationStepProps) {
  const { report, destDir, onChange, push, onPushChange, signing, onSigningChange, signError = null, onBack, onImport, quarantining = false } = props;
  const t = useT();
  const stationKey = useStationKey();
  const name = report.bundle.name === null ? t('import.destination.theName') : displayText(report.bundle.name);
  const imageCount = report.images?.length ?? 0;
  const pushing = imageCount > 0 && push.enabled;
  // Every payload file is part of the image layout: with a push, no folder is needed (the engine checks it again).
  const files = report.files;
  const imagesOnly =
    imageCount > 0 && files.complete && files.omitted.ok + files.omitted.failed === 0 && files.listed.every((f) => f.path.startsWith('data/oci/'));
  const folderOptional = pushing && imagesOnly;
  if (quarantining) {
    return (
      <Stack>
        <StepHeader
          flow={t('flow.import')}
          step={4}
          of={6}
          title={t('import.destination.quarantineTitle')}
          happens={t('import.destination.quarantineHappens')}
          proven={[t('import.destination.refusedBy', { codes: [...new Set(report.problems.map((p) => p.code))].join(', ') })]}
        />
        <DestinationPicker purpose="import-destination" value={destDir} onChange={onChange} />
        <Group justify="space-between">
          <Button variant="default" onClick={onBack}>
            {t('flow.back')}
          </Button>
          <Button color="orange" onClick={onImport} disabled={destDir === null}>
            {t('import.destination.quarantineButton')}
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack>
      <StepHeader
        flow={t('flow.import')}
        step={4}
        of={6}
        title={t('import.destination.title')}
        happens={t(pushing ? 'import.destination.happensPush' : 'import.destination.happens', { name })}
        proven={[
          ...report.signers.map((s) =>
            t('import.destination.signedBy', { name: displayText(s.userIds.join(', ')), fingerprint: groupFingerprint(s.fingerprint) }),
          ),
          t('import.destination.allMatch', { files: report.bundle.files }),
          t(report.policy.findings.some((f) => f.outcome === 'fail') ? 'import.destination.policyFailed' : 'import.destination.policy', {
            passed: report.policy.findings.filter((f) => f.outcome === 'pass').length,
            total: report.policy.findings.length,
          }),
        ]}
      />
      <DestinationPicker purpose="import-destination" value={destDir} onChange={onChange} />
      {folderOptional && destDir === null ? (
        <Text size="sm" role="status">
          {t('import.destination.imagesOnly')}
        </Text>
      ) : null}
      {imageCount > 0 ? <RegistryPushOptions imageCount={imageCount} choice={push} onChange={onPushChange} /> : null}
      <ImportSigningField stationKey={stationKey} signing={signing} onChange={onSigningChange} lastError={signError} />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          {t('flow.back')}
        </Button>
        <Button
          onClick={onImport}
          disabled={(destDir === null && !folderOptional) || (pushing && !pushChoiceReady(push)) || !signingReady(signing, stationKey)}
        >
          {pushing ? t('import.destination.importPush') : t('import.destination.import')}
        </Button>
      </Group>
    </Stack>
  );
}

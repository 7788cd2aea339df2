/** Import step 4: the folder the payload goes into (as DIR/<bundle name>/, never merged), and for a bundle with images, the registry push. */
import { Button, Group, Stack, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { VerifyReport } from '../../../../shared/ipc.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { StepHeader } from '../../components/StepHeader.js';
import { groupFingerprint } from '../../../../shared/fingerprint.js';
import { pushChoiceReady, type PushChoice } from './push-choice.js';
import { RegistryPushOptions } from './RegistryPushOptions.js';

export interface ImportDestinationStepProps {
  report: VerifyReport;
  destDir: string | null;
  onChange: (path: string) => void;
  push: PushChoice;
  onPushChange: (push: PushChoice) => void;
  onBack: () => void;
  onImport: () => void;
  /** Content inspection refused the bundle: this import is refused too, and keeps it in quarantine. */
  quarantining?: boolean | undefined;
}

export function ImportDestinationStep({ report, destDir, onChange, push, onPushChange, onBack, onImport, quarantining = false }: ImportDestinationStepProps) {
  const name = displayText(report.bundle.name ?? 'the bundle name');
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
          flow="Import"
          step={4}
          of={6}
          title="Keep it in quarantine"
          happens="Choose the folder it was meant for. The import verifies the bundle again, content inspection refuses it again, and the station keeps the bundle with its report in its quarantine. Nothing is written to the folder."
          proven={[`Refused by content inspection: ${[...new Set(report.problems.map((p) => p.code))].join(', ')}.`]}
        />
        <DestinationPicker purpose="import-destination" value={destDir} onChange={onChange} />
        <Group justify="space-between">
          <Button variant="default" onClick={onBack}>
            Back
          </Button>
          <Button color="orange" onClick={onImport} disabled={destDir === null}>
            Import and keep in quarantine
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack>
      <StepHeader
        flow="Import"
        step={4}
        of={6}
        title="Choose where the files go"
        happens={`The files land in a new folder "${name}" inside the folder you choose. Airlock verifies everything again while copying into a private staging folder, and only then moves it into place in one step; it never overwrites or merges.${
          pushing ? ' Then the images are pushed to the registry; a push that stops can be run again and resumes where it stopped.' : ''
        }`}
        proven={[
          ...report.signers.map((s) => `Signed by ${displayText(s.userIds.join(', '))} (${groupFingerprint(s.fingerprint)}), a key this station trusts.`),
          `All ${report.bundle.files} files match the signed manifest.`,
          `Station policy: ${report.policy.findings.filter((f) => f.outcome === 'pass').length} of ${report.policy.findings.length} checks passed${
            report.policy.findings.some((f) => f.outcome === 'fail') ? ' (see the report: the import applies the failed ones)' : ''
          }.`,
        ]}
      />
      <DestinationPicker purpose="import-destination" value={destDir} onChange={onChange} />
      {folderOptional && destDir === null ? (
        <Text size="sm" role="status">
          This bundle holds images only: no folder is needed, they go straight to the registry.
        </Text>
      ) : null}
      {imageCount > 0 ? <RegistryPushOptions imageCount={imageCount} choice={push} onChange={onPushChange} /> : null}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onImport} disabled={(destDir === null && !folderOptional) || (pushing && !pushChoiceReady(push))}>
          {pushing ? 'Import and push' : 'Import'}
        </Button>
      </Group>
    </Stack>
  );
}

/** Import step 4: the folder the payload goes into (as DIR/<bundle name>/, never merged). */
import { Button, Group, Stack } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { VerifyReport } from '../../../../shared/ipc.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { StepHeader } from '../../components/StepHeader.js';
import { groupFingerprint } from '../../../../shared/fingerprint.js';

export interface ImportDestinationStepProps {
  report: VerifyReport;
  destDir: string | null;
  onChange: (path: string) => void;
  onBack: () => void;
  onImport: () => void;
}

export function ImportDestinationStep({ report, destDir, onChange, onBack, onImport }: ImportDestinationStepProps) {
  const name = displayText(report.bundle.name ?? 'the bundle name');
  return (
    <Stack>
      <StepHeader
        flow="Import"
        step={4}
        of={6}
        title="Choose where the files go"
        happens={`The files land in a new folder "${name}" inside the folder you choose. Airlock verifies everything again while copying into a private staging folder, and only then moves it into place in one step; it never overwrites or merges.`}
        proven={[
          ...report.signers.map((s) => `Signed by ${displayText(s.userIds.join(', '))} (${groupFingerprint(s.fingerprint)}), a key this station trusts.`),
          `All ${report.bundle.files} files match the signed manifest.`,
          `Station policy: ${report.policy.findings.filter((f) => f.outcome === 'pass').length} of ${report.policy.findings.length} checks passed${
            report.policy.findings.some((f) => f.outcome === 'fail') ? ' (see the report: the import applies the failed ones)' : ''
          }.`,
        ]}
      />
      <DestinationPicker purpose="import-destination" value={destDir} onChange={onChange} />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onImport} disabled={destDir === null}>
          Import
        </Button>
      </Group>
    </Stack>
  );
}

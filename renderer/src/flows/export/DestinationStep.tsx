/** Export step 3: where the bundle is written, and optionally its name. */
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { formatBytes } from '../../../../shared/format.js';
import type { SelectionSummary } from '../../../../shared/ipc.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { plural } from '../../components/plural.js';
import { StepHeader } from '../../components/StepHeader.js';

/** The core's rule for bundle names (shared/errors.ts INVALID_NAME). */
const NAME_RE = /^(?!\.)[A-Za-z0-9._-]{1,100}$/u;

export interface DestinationStepProps {
  summary: SelectionSummary;
  outDir: string | null;
  name: string;
  onChange: (value: { outDir: string | null; name: string }) => void;
  onBack: () => void;
  onNext: () => void;
}

export function DestinationStep({ summary, outDir, name, onChange, onBack, onNext }: DestinationStepProps) {
  const nameError = name !== '' && !NAME_RE.test(name) ? 'Letters, digits, dot, dash and underscore only (up to 100), not starting with a dot.' : null;
  return (
    <Stack>
      <StepHeader
        flow="Export"
        step={3}
        of={6}
        title="Choose where the bundle goes"
        happens="The bundle will be written into this folder as NAME.airlock.tar. Airlock never overwrites a file that is already there."
        proven={[`The selection holds ${plural(summary.totalFiles, 'file')}, ${formatBytes(summary.totalBytes)}.`]}
      />
      <DestinationPicker purpose="export-destination" value={outDir} onChange={(path) => onChange({ outDir: path, name })} />
      <TextInput
        label="Bundle name (optional)"
        description="Leave empty for the station's next name, e.g. airlock-000042-20261128."
        value={name}
        onChange={(e) => onChange({ outDir, name: e.currentTarget.value })}
        error={nameError}
        maw={480}
      />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext} disabled={outDir === null || nameError !== null}>
          Next: sign
        </Button>
      </Group>
    </Stack>
  );
}

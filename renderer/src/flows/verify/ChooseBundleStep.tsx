/** First step of verify and import: which bundle. */
import { Button, Group, Stack } from '@mantine/core';
import { BundlePicker } from '../../components/BundlePicker.js';
import { StepHeader } from '../../components/StepHeader.js';

export interface ChooseBundleStepProps {
  flow: 'Import' | 'Verify';
  of: number;
  bundlePath: string | null;
  onChange: (path: string) => void;
  onNext: () => void;
}

export function ChooseBundleStep({ flow, of, bundlePath, onChange, onNext }: ChooseBundleStepProps) {
  return (
    <Stack>
      <StepHeader
        flow={flow}
        step={1}
        of={of}
        title="Choose the bundle"
        happens={
          flow === 'Import'
            ? 'You pick the bundle file. Next, Airlock proves who signed it and checks every byte before anything is imported.'
            : 'You pick the bundle file. Next, Airlock proves who signed it and checks every byte. Nothing is written anywhere.'
        }
      />
      <BundlePicker value={bundlePath} onChange={onChange} />
      <Group justify="flex-end">
        <Button onClick={onNext} disabled={bundlePath === null}>
          Verify bundle
        </Button>
      </Group>
    </Stack>
  );
}

/** First step of verify and import: which bundle. Import starts from the media detected ("Insert a medium"). */
import { Button, Group, Stack } from '@mantine/core';
import { BundlePicker } from '../../components/BundlePicker.js';
import { MediumBundlePicker } from '../../components/MediumBundlePicker.js';
import { StepHeader } from '../../components/StepHeader.js';

export interface ChooseBundleStepProps {
  flow: 'Import' | 'Verify';
  of: number;
  bundlePath: string | null;
  onChange: (path: string) => void;
  onNext: () => void;
  /** List the detected media and the bundles on them above the file dialog. */
  fromMedia?: boolean;
  pollMs?: number | undefined;
}

export function ChooseBundleStep({ flow, of, bundlePath, onChange, onNext, fromMedia = false, pollMs }: ChooseBundleStepProps) {
  return (
    <Stack>
      <StepHeader
        flow={flow}
        step={1}
        of={of}
        title={fromMedia ? 'Insert a medium' : 'Choose the bundle'}
        happens={
          fromMedia
            ? 'Insert the medium; Airlock lists the bundles on it. Pick one (or a bundle file elsewhere). Next, Airlock proves who signed it and checks every byte before anything is imported.'
            : flow === 'Import'
              ? 'You pick the bundle file. Next, Airlock proves who signed it and checks every byte before anything is imported.'
              : 'You pick the bundle file. Next, Airlock proves who signed it and checks every byte. Nothing is written anywhere.'
        }
      />
      {fromMedia ? (
        <MediumBundlePicker bundlePath={bundlePath} onChange={onChange} pollMs={pollMs || undefined} />
      ) : (
        <BundlePicker value={bundlePath} onChange={onChange} />
      )}
      <Group justify="flex-end">
        <Button onClick={onNext} disabled={bundlePath === null}>
          Verify bundle
        </Button>
      </Group>
    </Stack>
  );
}

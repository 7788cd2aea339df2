/** First step of verify and import: which bundle. Import starts from the media detected ("Insert a medium"). */
import { Button, Group, Stack } from '@mantine/core';
import { BundlePicker } from '../../components/BundlePicker.js';
import { MediumBundlePicker } from '../../components/MediumBundlePicker.js';
import { StepHeader } from '../../components/StepHeader.js';
import { useT } from '../../i18n/useT.js';

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
  const t = useT();
  return (
    <Stack>
      <StepHeader
        flow={t(flow === 'Import' ? 'flow.import' : 'flow.verify')}
        step={1}
        of={of}
        title={fromMedia ? t('verify.choose.titleMedium') : t('verify.choose.title')}
        happens={fromMedia ? t('verify.choose.happensMedium') : flow === 'Import' ? t('verify.choose.happensImport') : t('verify.choose.happensVerify')}
      />
      {fromMedia ? (
        <MediumBundlePicker bundlePath={bundlePath} onChange={onChange} pollMs={pollMs || undefined} />
      ) : (
        <BundlePicker value={bundlePath} onChange={onChange} />
      )}
      <Group justify="flex-end">
        <Button onClick={onNext} disabled={bundlePath === null}>
          {t('verify.choose.verify')}
        </Button>
      </Group>
    </Stack>
  );
}

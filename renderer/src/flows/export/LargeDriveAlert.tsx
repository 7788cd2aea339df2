/**
 * A very large drive chosen as the destination (core marks it `large`: over config.json
 * `largeMediumBytes`, default 512 GiB): a warning the operator must acknowledge before signing
 * (issue #19.4). Writing stays allowed; choosing it by mistake should not be.
 */
import { Alert, Checkbox, Stack, Text } from '@mantine/core';
import type { MediaVolumeView } from '../../../../shared/ipc.js';
import { mediumName } from '../../components/media.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';

export function LargeDriveAlert({
  medium,
  acknowledged,
  onAcknowledge,
}: {
  medium: MediaVolumeView;
  acknowledged: boolean;
  onAcknowledge: (ok: boolean) => void;
}) {
  const t = useT();
  const format = useFormat();
  const size = format.size(medium.size ?? 0);
  const name = mediumName(medium);
  return (
    <Alert color="yellow" role="alert" title={<span>⚠ {t('mediaStep.large.title', { size })}</span>} data-warning="large-drive">
      <Stack gap="xs">
        <Text size="sm">{t('mediaStep.large.body', { name, size })}</Text>
        <Checkbox label={t('mediaStep.large.confirm', { name })} checked={acknowledged} onChange={(e) => onAcknowledge(e.currentTarget.checked)} />
      </Stack>
    </Alert>
  );
}

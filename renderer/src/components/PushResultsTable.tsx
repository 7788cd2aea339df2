/**
 * What the registry push did, per image: pushed, already present, or failed with the registry's
 * code and message; each outcome as text with an icon, never colour alone.
 */
import { Group, Table, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { ImagePushResult, PushOutcome } from '../../../shared/images.js';
import type { MessageId } from '../i18n/en.js';
import { useFormat } from '../i18n/format.js';
import { useT } from '../i18n/useT.js';
import { Digest, imageName } from './ImagesTable.js';

export const OUTCOME_TEXT: Record<PushOutcome, { icon: string; text: MessageId; color: string }> = {
  pushed: { icon: '✓', text: 'push.outcome.pushed', color: 'green' },
  'already-present': { icon: '=', text: 'push.outcome.already-present', color: 'blue' },
  failed: { icon: '✗', text: 'push.outcome.failed', color: 'red' },
};

/** "2 pushed, 1 already present, 1 failed", in the app's language. */
export function usePushTally(): (pushes: readonly ImagePushResult[]) => string {
  const t = useT();
  return (pushes) => {
    const count = (o: PushOutcome) => pushes.filter((p) => p.outcome === o).length;
    return t('push.tally', { pushed: count('pushed'), present: count('already-present'), failed: count('failed') });
  };
}

export function PushResultsTable({ pushes }: { pushes: readonly ImagePushResult[] }) {
  const t = useT();
  const f = useFormat();
  return (
    <Table withTableBorder striped aria-label={t('push.table')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('images.image')}</Table.Th>
          <Table.Th>{t('push.result')}</Table.Th>
          <Table.Th>{t('images.digest')}</Table.Th>
          <Table.Th>{t('push.blobs')}</Table.Th>
          <Table.Th ta="right">{t('push.sent')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {pushes.map((push) => {
          const outcome = OUTCOME_TEXT[push.outcome];
          return (
            <Table.Tr key={`${push.repository}:${push.tag ?? ''}@${push.digest}`} data-outcome={push.outcome}>
              <Table.Td translate="no">{imageName(push)}</Table.Td>
              <Table.Td>
                <Group gap={6} wrap="wrap">
                  <Text span aria-hidden="true" fw={700} c={`${outcome.color}.8`}>
                    {outcome.icon}
                  </Text>
                  <Text span size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                    {t(outcome.text)}
                  </Text>
                  {push.errorCode ? (
                    <Text size="sm" ff="monospace" translate="no">
                      {displayText(push.errorCode)}
                    </Text>
                  ) : null}
                </Group>
                {push.message ? <Text size="sm">{displayText(push.message)}</Text> : null}
              </Table.Td>
              <Table.Td>
                <Digest value={push.digest} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{t('push.blobCounts', { uploaded: push.blobs.uploaded, mounted: push.blobs.mounted, skipped: push.blobs.skipped })}</Text>
              </Table.Td>
              <Table.Td ta="right">{f.bytes(push.bytesSent)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

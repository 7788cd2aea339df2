/**
 * What the registry push did, per image: pushed, already present, or failed with the registry's
 * code and message; each outcome as text with an icon, never colour alone.
 */
import { Group, Table, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import { formatBytes } from '../../../shared/format.js';
import type { ImagePushResult, PushOutcome } from '../../../shared/images.js';
import { Digest, imageName } from './ImagesTable.js';

export const OUTCOME_TEXT: Record<PushOutcome, { icon: string; text: string; color: string }> = {
  pushed: { icon: '✓', text: 'Pushed', color: 'green' },
  'already-present': { icon: '=', text: 'Already present', color: 'blue' },
  failed: { icon: '✗', text: 'Failed', color: 'red' },
};

/** "2 pushed, 1 already present, 1 failed". */
export function pushTally(pushes: readonly ImagePushResult[]): string {
  const count = (o: PushOutcome) => pushes.filter((p) => p.outcome === o).length;
  return [`${count('pushed')} pushed`, `${count('already-present')} already present`, `${count('failed')} failed`].join(', ');
}

export function PushResultsTable({ pushes }: { pushes: readonly ImagePushResult[] }) {
  return (
    <Table withTableBorder striped aria-label="Registry push results">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Image</Table.Th>
          <Table.Th>Result</Table.Th>
          <Table.Th>Digest</Table.Th>
          <Table.Th>Blobs</Table.Th>
          <Table.Th ta="right">Sent</Table.Th>
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
                    {outcome.text}
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
                <Text size="sm">
                  {push.blobs.uploaded} uploaded, {push.blobs.mounted} mounted, {push.blobs.skipped} already there
                </Text>
              </Table.Td>
              <Table.Td ta="right">{formatBytes(push.bytesSent)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** Export step 6: what was written and who signed it. */
import { Alert, Button, Code, Group, List, Stack, Table, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import { formatBytes } from '../../../../shared/format.js';
import type { ExportReport } from '../../../../shared/ipc.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { StepHeader } from '../../components/StepHeader.js';

export function ExportResultStep({ result, onDone }: { result: ExportReport; onDone: () => void }) {
  return (
    <Stack>
      <StepHeader
        flow="Export"
        step={6}
        of={6}
        title="Bundle written"
        happens="Nothing more: carry the bundle across. The receiving station verifies the signature and every byte before it imports anything."
        proven={[
          'Every file was hashed twice and did not change while the bundle was written.',
          'The manifest is signed with this station key.',
          'The bundle was flushed to disk before it got its final name.',
        ]}
      />
      <Alert color="green" title="Exported" role="status">
        <Code>{displayText(result.bundlePath)}</Code>
      </Alert>
      <Table withTableBorder variant="vertical" aria-label="Export result">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={180}>Bundle file</Table.Th>
            <Table.Td>{displayText(result.bundlePath)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Bundle id</Table.Th>
            <Table.Td>{result.uuid}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Sequence</Table.Th>
            <Table.Td>{result.sequence}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Files</Table.Th>
            <Table.Td>
              {result.files} files, {formatBytes(result.bytes)} ({formatBytes(result.bundleBytes)} on disk)
            </Table.Td>
          </Table.Tr>
          {result.signers.map((s) => (
            <Table.Tr key={s.fingerprint}>
              <Table.Th>Signed by</Table.Th>
              <Table.Td>
                <Stack gap={4}>
                  <Text size="sm">{displayText(s.userIds.join(', '))}</Text>
                  <Fingerprint value={s.fingerprint} />
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
          {result.receipt ? (
            <Table.Tr>
              <Table.Th>Transfer receipt</Table.Th>
              <Table.Td>{displayText(result.receipt.html)}</Table.Td>
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
      {result.warnings.length > 0 ? (
        <Alert color="yellow" title="Warnings">
          <List size="sm">
            {result.warnings.map((w) => (
              <List.Item key={`${w.path}-${w.message}`}>
                {displayText(w.path)}: {displayText(w.message)}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button onClick={onDone}>Export something else</Button>
      </Group>
    </Stack>
  );
}

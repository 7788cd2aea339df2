/**
 * Station settings. Station name, operator, policy and limits are being built in core right
 * now; until their IPC channels exist this view shows what is known (the station status) and
 * says plainly what is coming. Wire the editors in through `editors`.
 */
import { Alert, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcResponse } from '../../../shared/ipc.js';
import { call, useApi } from '../api.js';

export function SettingsView({ editors }: { editors?: ReactNode }) {
  const api = useApi();
  const [status, setStatus] = useState<IpcResponse<'stationStatus'> | null>(null);
  useEffect(() => {
    call(api, 'stationStatus', {}).then(setStatus, () => setStatus(null));
  }, [api]);
  return (
    <Stack>
      <Title order={2}>Settings</Title>
      {status ? (
        <Table withTableBorder variant="vertical" aria-label="This station" maw={720}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={180}>Station</Table.Th>
              <Table.Td>{displayText(status.station)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Operator</Table.Th>
              <Table.Td>{displayText(status.operator)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Data folder</Table.Th>
              <Table.Td>{displayText(status.home)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Airlock version</Table.Th>
              <Table.Td>{displayText(status.version)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      ) : null}
      {editors ?? (
        <Alert color="blue" title="Coming soon" role="status">
          <Text size="sm">
            Editing the station name, the operator and the station policy (size and file-count limits, file-name rules) will be here. They are
            being built now; until then they are read from the files in the data folder.
          </Text>
        </Alert>
      )}
    </Stack>
  );
}

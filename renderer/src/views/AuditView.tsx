/**
 * The audit log view. The tamper-evident log is being built in core right now; until its IPC
 * channel exists this view says so and shows no data. Wire it by passing `source`: a loader
 * for the entries (a shared/ipc.ts channel such as `listAudit`), and render them below.
 */
import { Alert, Stack, Text, Title } from '@mantine/core';

export interface AuditSource {
  load: () => Promise<ReadonlyArray<{ id: string; at: string; summary: string }>>;
}

export function AuditView({ source }: { source?: AuditSource }) {
  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      {source ? null : (
        <Alert color="blue" title="Coming soon" role="status">
          <Text size="sm">
            Every export, verification and import will be listed here from the station&apos;s tamper-evident audit log, with a check that the
            chain of entries is unbroken and an export to CSV or JSON for the security officer.
          </Text>
          <Text size="sm" mt="xs">
            The log is being built now. Until it is here, nothing is shown: this view never displays sample data.
          </Text>
        </Alert>
      )}
    </Stack>
  );
}

/**
 * Settings: content inspection and the malware scanner (issue #16.7). Whether the station's
 * policy inspects at all, the scanner's address, whether it answered, its engine, its signature
 * database (version, build date, age against the policy's limit: an old one stands out), and the
 * policy in brief. "Check now" asks the scanner again; the policy itself is edited in policy.json
 * (`airlock policy check` checks it), not here.
 */
import { Alert, Button, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import { formatSize } from '../../../shared/format.js';
import type { InspectionPolicyBrief, InspectionStatusView, IpcError } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { ageText, ScannerLine } from '../components/inspection/ScannerLine.js';

const ACTION_TEXT = { refuse: 'refused', warn: 'taken with a warning', allow: 'allowed' } as const;

const listText = (values: readonly string[] | null, none: string): string => (values === null ? none : values.length === 0 ? 'none' : values.join(', '));

function policyLines(policy: InspectionPolicyBrief): string[] {
  const a = policy.archives;
  return [
    `Types by content allowed: ${displayText(listText(policy.allowTypes, 'every type not refused'))}; refused: ${displayText(listText(policy.denyTypes, 'none'))}.`,
    `Extensions allowed: ${displayText(listText(policy.allowExtensions, 'every extension not refused'))}; refused: ${displayText(listText(policy.denyExtensions, 'none'))}.`,
    `Extension and content disagree: ${ACTION_TEXT[policy.onMismatch]}. Office macros: ${ACTION_TEXT[policy.macros]}.`,
    a.expand
      ? `Archives opened and inspected: up to ${a.maxDepth} deep, ${a.maxEntries.toLocaleString('en-US')} members, ${formatSize(a.maxExpandedBytes)} expanded, ratio ${a.maxRatio}:1; beyond a limit is refused.`
      : 'Archives are not opened: their members are not inspected.',
    policy.scan
      ? `Signature database at most ${policy.scan.maxDatabaseAgeDays === 1 ? '1 day' : `${policy.scan.maxDatabaseAgeDays} days`} old (older: ${policy.scan.onStaleDatabase === 'refuse' ? 'every import refused' : 'a warning'}); a scan error: ${policy.scan.onError === 'refuse' ? 'refused (fail closed)' : 'a warning'}.`
      : 'No malware scanner is configured: nothing is scanned for malware.',
    `Releasing a quarantined bundle takes ${policy.releaseApprovals === 2 ? 'two operators (the two-person rule)' : 'one operator'}, with a reason.`,
  ];
}

export function ScannerStatusPanel({ active = true }: { active?: boolean }) {
  const api = useApi();
  const [status, setStatus] = useState<InspectionStatusView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [checking, setChecking] = useState(false);

  const check = useCallback(async () => {
    setChecking(true);
    setError(null);
    try {
      setStatus(await call(api, 'inspectionStatus', {}));
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setChecking(false);
    }
  }, [api]);
  useEffect(() => {
    if (active) void check();
  }, [active, check]);

  const scanner = status?.scanner ?? null;
  const maxAge = status?.policy?.scan?.maxDatabaseAgeDays ?? null;
  return (
    <Stack gap="sm" data-testid="scanner-status" aria-busy={checking}>
      <Group justify="space-between">
        <Title order={3}>Content inspection and scanner</Title>
        <Button variant="default" size="xs" onClick={() => void check()} loading={checking}>
          Check now
        </Button>
      </Group>
      {error ? <ErrorAlert error={error} title="The scanner's status could not be read" /> : null}
      {status && !status.enabled ? (
        <Alert color="gray" title="Content inspection is off" role="status" icon={<span aria-hidden="true">–</span>}>
          This station&apos;s policy.json has no inspect section: bundles are verified (signature, every byte) but their contents are not inspected — no type
          checks, no archive checks, no malware scan.
        </Alert>
      ) : null}
      {status?.enabled && scanner ? (
        <>
          <ScannerLine scanner={scanner} maxAgeDays={maxAge} />
          <Table withTableBorder variant="vertical" aria-label="Scanner status">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={200}>Scanner</Table.Th>
                <Table.Td>
                  {scanner.kind === 'clamd' ? 'clamd at ' : 'command '}
                  <Text span ff="monospace" translate="no">
                    {displayText(scanner.address)}
                  </Text>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Reachable</Table.Th>
                <Table.Td data-reachable={scanner.reachable ? 'yes' : 'no'}>
                  {scanner.reachable ? '✓ Yes, it answered' : `✗ No${scanner.error ? `: ${displayText(scanner.error)}` : ''}`}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Engine</Table.Th>
                <Table.Td>{scanner.engineVersion ? displayText(scanner.engineVersion) : 'unknown'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Database version</Table.Th>
                <Table.Td>{scanner.databaseVersion === null ? 'unknown' : String(scanner.databaseVersion)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Database built</Table.Th>
                <Table.Td>
                  {scanner.databaseDate === null ? 'unknown' : displayText(scanner.databaseDate)} ({ageText(scanner.databaseAgeDays)}
                  {maxAge === null ? '' : `; at most ${maxAge} allowed`})
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Read from</Table.Th>
                <Table.Td>
                  {scanner.databaseSource === 'version-command'
                    ? "the scanner's VERSION answer"
                    : scanner.databaseSource === 'database-header'
                      ? "the database files' headers"
                      : 'nowhere: the scanner did not say'}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </>
      ) : null}
      {status?.enabled && !scanner ? (
        <Text size="sm">No malware scanner is configured: types and archives are checked, nothing is scanned for malware.</Text>
      ) : null}
      {status?.policy ? (
        <List size="sm" spacing={4} aria-label="Inspection policy">
          {policyLines(status.policy).map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      ) : null}
      {status ? (
        <Text size="xs" c="dimmed">
          Checked {displayText(status.checkedAt)}.
        </Text>
      ) : null}
    </Stack>
  );
}

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
import type { InspectionPolicyBrief, InspectionStatusView, IpcError } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { ageText, ScannerLine } from '../components/inspection/ScannerLine.js';
import type { MessageId } from '../i18n/en.js';
import { useFormat, type LocalFormat } from '../i18n/format.js';
import { useT, type Translate } from '../i18n/useT.js';

const ACTION_TEXT = { refuse: 'scanner.action.refuse', warn: 'scanner.action.warn', allow: 'scanner.action.allow' } as const satisfies Record<
  string,
  MessageId
>;

function policyLines(t: Translate, f: LocalFormat, policy: InspectionPolicyBrief): string[] {
  const a = policy.archives;
  const none = t('scanner.policy.none');
  const list = (values: readonly string[] | null, all: string): string => displayText(values === null ? all : values.length === 0 ? none : values.join(', '));
  return [
    t('scanner.policy.types', { allowed: list(policy.allowTypes, t('scanner.policy.everyType')), refused: list(policy.denyTypes, none) }),
    t('scanner.policy.extensions', { allowed: list(policy.allowExtensions, t('scanner.policy.everyExtension')), refused: list(policy.denyExtensions, none) }),
    t('scanner.policy.mismatch', { mismatch: t(ACTION_TEXT[policy.onMismatch]), macros: t(ACTION_TEXT[policy.macros]) }),
    a.expand
      ? t('scanner.policy.archives', { depth: a.maxDepth, members: a.maxEntries, size: f.size(a.maxExpandedBytes), ratio: a.maxRatio })
      : t('scanner.policy.noArchives'),
    policy.scan
      ? t('scanner.policy.scan', {
          days: policy.scan.maxDatabaseAgeDays,
          stale: policy.scan.onStaleDatabase === 'refuse' ? t('scanner.policy.staleRefuse') : t('scanner.policy.warning'),
          onError: policy.scan.onError === 'refuse' ? t('scanner.policy.errorRefuse') : t('scanner.policy.warning'),
        })
      : t('scanner.policy.noScan'),
    policy.releaseApprovals === 2 ? t('scanner.policy.releaseTwo') : t('scanner.policy.releaseOne'),
  ];
}

/** `refresh`: a new value checks again (the Settings view bumps it when a feed import ends). */
export function ScannerStatusPanel({ active = true, refresh = 0 }: { active?: boolean; refresh?: number }) {
  const api = useApi();
  const t = useT();
  const f = useFormat();
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
  }, [active, check, refresh]);

  const scanner = status?.scanner ?? null;
  const maxAge = status?.policy?.scan?.maxDatabaseAgeDays ?? null;
  return (
    <Stack gap="sm" data-testid="scanner-status" aria-busy={checking}>
      <Group justify="space-between">
        <Title order={3}>{t('scanner.panel.title')}</Title>
        <Button variant="default" size="xs" onClick={() => void check()} loading={checking}>
          {t('scanner.panel.check')}
        </Button>
      </Group>
      {error ? <ErrorAlert error={error} title={t('scanner.panel.readError')} /> : null}
      {status && !status.enabled ? (
        <Alert color="gray" title={t('scanner.panel.offTitle')} role="status" icon={<span aria-hidden="true">–</span>}>
          {t('scanner.panel.offText')}
        </Alert>
      ) : null}
      {status?.enabled && scanner ? (
        <>
          <ScannerLine scanner={scanner} maxAgeDays={maxAge} />
          <Table withTableBorder variant="vertical" aria-label={t('scanner.panel.table')}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={200}>{t('scanner.panel.scanner')}</Table.Th>
                <Table.Td>
                  {scanner.kind === 'clamd' ? t('scanner.panel.clamd') : t('scanner.panel.command')}{' '}
                  <Text span ff="monospace" translate="no">
                    {displayText(scanner.address)}
                  </Text>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('scanner.panel.reachable')}</Table.Th>
                <Table.Td data-reachable={scanner.reachable ? 'yes' : 'no'}>
                  {scanner.reachable
                    ? t('scanner.panel.yes')
                    : scanner.error
                      ? t('scanner.panel.noWhy', { error: displayText(scanner.error) })
                      : t('scanner.panel.no')}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('scanner.panel.engine')}</Table.Th>
                <Table.Td>{scanner.engineVersion ? displayText(scanner.engineVersion) : t('scanner.panel.unknown')}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('scanner.panel.dbVersion')}</Table.Th>
                <Table.Td>{scanner.databaseVersion === null ? t('scanner.panel.unknown') : String(scanner.databaseVersion)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('scanner.panel.dbBuilt')}</Table.Th>
                <Table.Td>
                  {scanner.databaseDate === null ? t('scanner.panel.unknown') : displayText(scanner.databaseDate)} ({ageText(t, scanner.databaseAgeDays)}
                  {maxAge === null ? '' : t('scanner.panel.atMost', { days: maxAge })})
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('scanner.panel.readFrom')}</Table.Th>
                <Table.Td>
                  {scanner.databaseSource === 'version-command'
                    ? t('scanner.panel.fromVersion')
                    : scanner.databaseSource === 'database-header'
                      ? t('scanner.panel.fromHeader')
                      : t('scanner.panel.fromNowhere')}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </>
      ) : null}
      {status?.enabled && !scanner ? <Text size="sm">{t('scanner.panel.noScanner')}</Text> : null}
      {status?.policy ? (
        <List size="sm" spacing={4} aria-label={t('scanner.panel.policy')}>
          {policyLines(t, f, status.policy).map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      ) : null}
      {status ? (
        <Text size="xs" c="dimmed">
          {t('scanner.panel.checked', { time: displayText(f.utcTime(status.checkedAt)) })}
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * The malware scanner's signature database as one line the operator cannot miss: version, build
 * date and age, each state with an icon and words (never colour alone). An old database, one of
 * unknown age and an unreachable scanner stand out; a current one reads as a plain fact.
 */
import { Group, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { ScannerStatus } from '../../../../shared/inspection.js';
import type { MessageId } from '../../i18n/en.js';
import { useT, type Translate } from '../../i18n/useT.js';

export type DatabaseState = 'current' | 'stale' | 'unknown' | 'unreachable';

export const DATABASE_STATE_TEXT: Record<DatabaseState, { icon: string; label: MessageId; color: string }> = {
  current: { icon: '✓', label: 'scanner.state.current', color: 'green' },
  stale: { icon: '⚠', label: 'scanner.state.stale', color: 'red' },
  unknown: { icon: '?', label: 'scanner.state.unknown', color: 'orange' },
  unreachable: { icon: '✗', label: 'scanner.state.unreachable', color: 'red' },
};

/**
 * The state of the database: `stale` when the policy's limit is known and passed, or when the
 * inspection itself reported SCAN_DB_STALE (`reportedStale`); `unknown` without a date.
 */
export function databaseState(scanner: ScannerStatus, maxAgeDays: number | null, reportedStale = false): DatabaseState {
  if (!scanner.reachable) return 'unreachable';
  if (reportedStale) return 'stale';
  if (scanner.databaseAgeDays === null) return 'unknown';
  if (maxAgeDays !== null && scanner.databaseAgeDays > maxAgeDays) return 'stale';
  return 'current';
}

export function ageText(t: Translate, days: number | null): string {
  if (days === null) return t('scanner.age.unknown');
  if (days <= 0) return t('scanner.age.fresh');
  return t('scanner.age.days', { days });
}

/** "version 27432, built 2026-11-30 (3 days old)", or what is unknown of it. */
export function databaseText(t: Translate, scanner: ScannerStatus): string {
  const version = scanner.databaseVersion === null ? t('scanner.versionUnknown') : t('scanner.version', { version: scanner.databaseVersion });
  const built = scanner.databaseDate === null ? t('scanner.builtUnknown') : t('scanner.built', { date: displayText(scanner.databaseDate.slice(0, 10)) });
  return t('scanner.database', { version, built, age: ageText(t, scanner.databaseAgeDays) });
}

export function ScannerLine({
  scanner,
  maxAgeDays = null,
  reportedStale = false,
}: {
  scanner: ScannerStatus;
  maxAgeDays?: number | null;
  reportedStale?: boolean;
}) {
  const t = useT();
  const state = databaseState(scanner, maxAgeDays, reportedStale);
  const look = DATABASE_STATE_TEXT[state];
  const limit = maxAgeDays === null ? '' : ` ${t('scanner.limit', { days: maxAgeDays })}`;
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid="scanner-line" data-database-state={state}>
      <Text span aria-hidden="true" fw={700} c={`${look.color}.8`}>
        {look.icon}
      </Text>
      <Text size="sm" component="div">
        <Text span fw={state === 'current' ? 600 : 700} {...(state === 'current' ? {} : { c: `${look.color}.8` })}>
          {t(look.label)}:
        </Text>{' '}
        {databaseText(t, scanner)}.{state === 'stale' || state === 'unknown' ? limit : ''} {t('scanner.word')}{' '}
        <Text span ff="monospace" translate="no">
          {displayText(scanner.address)}
        </Text>
        {scanner.engineVersion ? `, ${displayText(scanner.engineVersion)}` : ''}
        {scanner.error ? `: ${displayText(scanner.error)}` : '.'}
      </Text>
    </Group>
  );
}

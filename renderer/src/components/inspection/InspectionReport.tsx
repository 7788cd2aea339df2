/**
 * Content inspection in a verify or import report (issue #16.7): whether the contents were
 * inspected at all, the scanner's database (version and age, always in view when a scanner is
 * configured), the counts, every listed item, and what each finding code means with its next
 * step. A signature proves who sent a bundle; this section says whether this station takes it.
 */
import { Alert, List, Stack, Text, Title } from '@mantine/core';
import type { InspectionSummary } from '../../../../shared/inspection.js';
import { INSPECTION_CODES, type Problem, type ProblemCode } from '../../../../shared/problems.js';
import { useFormat, type LocalFormat } from '../../i18n/format.js';
import { useSharedText } from '../../i18n/shared-text.js';
import { useT, type Translate } from '../../i18n/useT.js';
import { InspectedItemsTable } from './InspectedItemsTable.js';
import { ScannerLine } from './ScannerLine.js';
import { StatusBadge } from '../StatusIcon.js';

/** The codes content inspection raises (shared/problems.ts, issue #16). */
export { INSPECTION_CODES };

/** Distinct codes, in first-seen order. */
function distinctCodes(summary: InspectionSummary): ProblemCode[] {
  const seen = new Set<ProblemCode>();
  for (const item of summary.items) for (const code of [...item.findings, ...item.warnings]) seen.add(code);
  return [...seen];
}

function countsText(t: Translate, f: LocalFormat, s: InspectionSummary): string {
  return t('inspection.counts.sentence', {
    inspected: t('inspection.counts.inspected', { files: s.files, members: s.members }),
    scanned: s.scanner ? t('inspection.counts.scanned', { size: f.bytes(s.bytesScanned) }) : t('inspection.counts.noScanner'),
    outcome:
      s.refused === 0 && s.warned === 0 ? t('inspection.counts.nothingRefused') : t('inspection.counts.outcome', { refused: s.refused, warned: s.warned }),
    omitted: s.omitted > 0 ? t('inspection.counts.omitted', { count: s.omitted }) : '',
  });
}

export function InspectionReport({ inspection, problems }: { inspection: InspectionSummary | undefined; problems: readonly Problem[] }) {
  const t = useT();
  const f = useFormat();
  const shared = useSharedText();
  if (inspection === undefined || !inspection.enabled) {
    return (
      <Stack gap="xs" data-testid="inspection" data-inspection="off">
        <Title order={3}>{t('inspection.title')}</Title>
        <Text size="sm">
          <Text span aria-hidden="true">
            –{' '}
          </Text>
          {t('inspection.off')}
        </Text>
      </Stack>
    );
  }
  const codes = distinctCodes(inspection);
  const reportedStale = problems.some((p) => p.code === 'SCAN_DB_STALE') || codes.includes('SCAN_DB_STALE');
  const refused = inspection.refused > 0 || problems.some((p) => INSPECTION_CODES.has(p.code));
  return (
    <Stack gap="xs" data-testid="inspection" data-inspection={refused ? 'refused' : inspection.complete ? 'passed' : 'incomplete'}>
      <Title order={3}>{t('inspection.title')}</Title>
      {inspection.scanner ? (
        <ScannerLine scanner={inspection.scanner} reportedStale={reportedStale} />
      ) : (
        <Text size="sm">
          <Text span aria-hidden="true">
            –{' '}
          </Text>
          {t('inspection.noScanner')}
        </Text>
      )}
      {refused ? (
        <Alert color="red" title={t('inspection.refusedTitle')} role="alert" icon={<span aria-hidden="true">✗</span>}>
          {t('inspection.refusedText', { count: inspection.refused })}
        </Alert>
      ) : null}
      {!inspection.complete ? (
        <Text size="sm" fw={600}>
          {t('inspection.incomplete')}
        </Text>
      ) : null}
      <Text size="sm" data-inspection-summary>
        {countsText(t, f, inspection)}
      </Text>
      <InspectedItemsTable items={inspection.items} />
      {codes.length > 0 ? (
        <List spacing="sm" listStyleType="none" pl={0} aria-label={t('inspection.meanings')}>
          {codes.map((code) => (
            <List.Item key={code} data-finding-code={code}>
              <Stack gap={2}>
                <Text size="sm" component="div">
                  <StatusBadge tone="fail" mr="xs">
                    {code}
                  </StatusBadge>
                  {shared.problemBase(code)}
                </Text>
                <Text size="sm">
                  <Text span fw={600}>
                    {t('inspection.next')}{' '}
                  </Text>
                  {shared.problemAction(code)}
                </Text>
              </Stack>
            </List.Item>
          ))}
        </List>
      ) : null}
    </Stack>
  );
}

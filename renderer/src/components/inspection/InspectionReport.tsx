/**
 * Content inspection in a verify or import report (issue #16.7): whether the contents were
 * inspected at all, the scanner's database (version and age, always in view when a scanner is
 * configured), the counts, every listed item, and what each finding code means with its next
 * step. A signature proves who sent a bundle; this section says whether this station takes it.
 */
import { Alert, List, Stack, Text, Title } from '@mantine/core';
import { formatBytes } from '../../../../shared/format.js';
import type { InspectionSummary } from '../../../../shared/inspection.js';
import { INSPECTION_CODES, PROBLEM_TEXT, type Problem, type ProblemCode } from '../../../../shared/problems.js';
import { plural } from '../plural.js';
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

function countsText(s: InspectionSummary): string {
  const inspected = `${plural(s.files, 'payload file')}${s.members > 0 ? ` and ${plural(s.members, 'archive member')}` : ''} inspected`;
  const scanned = s.scanner ? `, ${formatBytes(s.bytesScanned)} sent to the scanner` : ', no scanner configured';
  const outcome = s.refused === 0 && s.warned === 0 ? 'nothing refused' : `${s.refused} refused, ${s.warned} with warnings only`;
  const omitted = s.omitted > 0 ? ` ${plural(s.omitted, 'clean item')} counted but not listed, to keep the report small.` : '';
  return `${inspected}${scanned}: ${outcome}.${omitted}`;
}

export function InspectionReport({ inspection, problems }: { inspection: InspectionSummary | undefined; problems: readonly Problem[] }) {
  if (inspection === undefined || !inspection.enabled) {
    return (
      <Stack gap="xs" data-testid="inspection" data-inspection="off">
        <Title order={3}>Content inspection</Title>
        <Text size="sm">
          <Text span aria-hidden="true">
            –{' '}
          </Text>
          Contents not inspected: content inspection is not configured on this station (its policy has no inspect section), so file types, archives and malware
          were not checked. The signature proves who sent the bundle, not that its contents are safe.
        </Text>
      </Stack>
    );
  }
  const codes = distinctCodes(inspection);
  const reportedStale = problems.some((p) => p.code === 'SCAN_DB_STALE') || codes.includes('SCAN_DB_STALE');
  const refused = inspection.refused > 0 || problems.some((p) => INSPECTION_CODES.has(p.code));
  return (
    <Stack gap="xs" data-testid="inspection" data-inspection={refused ? 'refused' : inspection.complete ? 'passed' : 'incomplete'}>
      <Title order={3}>Content inspection</Title>
      {inspection.scanner ? (
        <ScannerLine scanner={inspection.scanner} reportedStale={reportedStale} />
      ) : (
        <Text size="sm">
          <Text span aria-hidden="true">
            –{' '}
          </Text>
          No malware scanner is configured: types and archives were checked, nothing was scanned for malware.
        </Text>
      )}
      {refused ? (
        <Alert color="red" title="Refused by content inspection" role="alert" icon={<span aria-hidden="true">✗</span>}>
          {plural(inspection.refused, 'item')} did not pass this station&apos;s inspection policy. Nothing of this bundle reaches the destination; a refused
          import is kept in the station&apos;s quarantine.
        </Alert>
      ) : null}
      {!inspection.complete ? (
        <Text size="sm" fw={600}>
          ⚠ Inspection stopped before the end (verification failed first, or it was cancelled): what is not listed was not inspected.
        </Text>
      ) : null}
      <Text size="sm" data-inspection-summary>
        {countsText(inspection)}
      </Text>
      <InspectedItemsTable items={inspection.items} />
      {codes.length > 0 ? (
        <List spacing="sm" listStyleType="none" pl={0} aria-label="What the inspection findings mean">
          {codes.map((code) => (
            <List.Item key={code} data-finding-code={code}>
              <Stack gap={2}>
                <Text size="sm" component="div">
                  <StatusBadge tone="fail" mr="xs">
                    {code}
                  </StatusBadge>
                  {PROBLEM_TEXT[code].message}
                </Text>
                <Text size="sm">
                  <Text span fw={600}>
                    Next:{' '}
                  </Text>
                  {PROBLEM_TEXT[code].action}
                </Text>
              </Stack>
            </List.Item>
          ))}
        </List>
      ) : null}
    </Stack>
  );
}

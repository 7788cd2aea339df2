/**
 * The station's policy, check by check, as core evaluated it: pass, fail (with the problem
 * code, its human message and the next step) or not reached. Details may quote the bundle:
 * hostile text, shown through displayText().
 */
import { Code, Group, List, Stack, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import { PROBLEM_TEXT } from '../../../shared/problems.js';
import type { PolicyCheck, PolicyFinding, PolicySummary } from '../../../shared/results.js';
import { StatusBadge, type StatusTone } from './StatusIcon.js';

export const POLICY_CHECK_LABELS: Record<PolicyCheck, string> = {
  'trusted-signer': 'Signed by a trusted key',
  'required-signers': 'Required signers (two-person rule)',
  'signature-date': 'Signature date within the clock skew',
  'limit-files': 'Limit: number of files',
  'limit-total-bytes': 'Limit: total size',
  'limit-file-bytes': 'Limit: largest file',
  'limit-paths': 'Limit: path depth and length',
  'file-names': 'File-name rules',
  replay: 'Not already imported (replay guard)',
};

const OUTCOME_BADGE: Record<PolicyFinding['outcome'], { label: string; tone: StatusTone }> = {
  pass: { label: 'Pass', tone: 'pass' },
  fail: { label: 'Fail', tone: 'fail' },
  'not-checked': { label: 'Not checked', tone: 'neutral' },
};

/** `context`: a verify report says that import-only checks stop the import; an import result has already applied them. */
export function PolicyFindings({ policy, context }: { policy: PolicySummary; context: 'verify' | 'import' }) {
  return (
    <List spacing="sm" listStyleType="none" pl={0} aria-label="Station policy checks">
      {policy.findings.map((f) => {
        const badge = OUTCOME_BADGE[f.outcome];
        const label = POLICY_CHECK_LABELS[f.check];
        return (
          <List.Item key={f.check} data-policy-check={f.check} data-outcome={f.outcome} aria-label={`${label}: ${badge.label}`}>
            <Stack gap={2}>
              <Group gap="xs">
                <StatusBadge tone={badge.tone} variant={f.outcome === 'fail' ? 'filled' : 'light'} miw={96}>
                  {badge.label}
                </StatusBadge>
                <Text size="sm" fw={600}>
                  {label}
                </Text>
                {f.code ? <Code>{f.code}</Code> : null}
              </Group>
              <Text size="sm" c="dimmed">
                Rule: {displayText(f.rule)}
              </Text>
              <Text size="sm">{displayText(f.detail)}</Text>
              {f.outcome === 'fail' && f.code ? (
                <>
                  <Text size="sm">{PROBLEM_TEXT[f.code].message}</Text>
                  {context === 'verify' && f.refusedBy === 'import' ? (
                    <Text size="sm" fw={600}>
                      Verify reports this check; importing this bundle on this station will be refused.
                    </Text>
                  ) : null}
                  <Text size="sm">
                    <Text span fw={600}>
                      Next:{' '}
                    </Text>
                    {PROBLEM_TEXT[f.code].action}
                  </Text>
                </>
              ) : null}
            </Stack>
          </List.Item>
        );
      })}
    </List>
  );
}

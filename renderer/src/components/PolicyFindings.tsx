/**
 * The station's policy, check by check, as core evaluated it: pass, fail (with the problem
 * code, its human message and the next step) or not reached. Details may quote the bundle:
 * hostile text, shown through displayText().
 */
import { Code, Group, List, Stack, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { PolicyCheck, PolicyFinding, PolicySummary } from '../../../shared/results.js';
import { StatusBadge, type StatusTone } from './StatusIcon.js';
import type { MessageId } from '../i18n/en.js';
import { useSharedText } from '../i18n/shared-text.js';
import { useT } from '../i18n/useT.js';

/** Each check's name in the catalogue. */
export const POLICY_CHECK_LABELS: Record<PolicyCheck, MessageId> = {
  'trusted-signer': 'policy.check.trusted-signer',
  'required-signers': 'policy.check.required-signers',
  'signature-date': 'policy.check.signature-date',
  'limit-files': 'policy.check.limit-files',
  'limit-total-bytes': 'policy.check.limit-total-bytes',
  'limit-file-bytes': 'policy.check.limit-file-bytes',
  'limit-paths': 'policy.check.limit-paths',
  'file-names': 'policy.check.file-names',
  replay: 'policy.check.replay',
};

const OUTCOME_BADGE: Record<PolicyFinding['outcome'], { label: MessageId; tone: StatusTone }> = {
  pass: { label: 'policy.outcome.pass', tone: 'pass' },
  fail: { label: 'policy.outcome.fail', tone: 'fail' },
  'not-checked': { label: 'policy.outcome.not-checked', tone: 'neutral' },
};

/** `context`: a verify report says that import-only checks stop the import; an import result has already applied them. */
export function PolicyFindings({ policy, context }: { policy: PolicySummary; context: 'verify' | 'import' }) {
  const t = useT();
  const text = useSharedText();
  return (
    <List spacing="sm" listStyleType="none" pl={0} aria-label={t('policy.list')}>
      {policy.findings.map((f) => {
        const badge = { label: t(OUTCOME_BADGE[f.outcome].label), tone: OUTCOME_BADGE[f.outcome].tone };
        const label = t(POLICY_CHECK_LABELS[f.check]);
        return (
          <List.Item
            key={f.check}
            data-policy-check={f.check}
            data-outcome={f.outcome}
            aria-label={t('policy.itemLabel', { check: label, outcome: badge.label })}
          >
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
              {/* The rule and detail are the engine's words (English), with facts from the bundle in them. */}
              <Text size="sm" c="dimmed">
                {t('policy.rule')}{' '}
                <Text span lang="en">
                  {displayText(f.rule)}
                </Text>
              </Text>
              <Text size="sm" lang="en">
                {displayText(f.detail)}
              </Text>
              {f.outcome === 'fail' && f.code ? (
                <>
                  <Text size="sm">{text.problemBase(f.code)}</Text>
                  {context === 'verify' && f.refusedBy === 'import' ? (
                    <Text size="sm" fw={600}>
                      {t('policy.importRefuses')}
                    </Text>
                  ) : null}
                  <Text size="sm">
                    <Text span fw={600}>
                      {t('common.next')}{' '}
                    </Text>
                    {text.problemAction(f.code)}
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

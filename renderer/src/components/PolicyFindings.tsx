/**
 * The station's policy, check by check, as core evaluated it: pass, fail (with the problem
 * code, its human message and the next step) or not reached. Details may quote the bundle:
 * hostile text, shown through displayText().
 */
import { Badge, Code, Group, List, Stack, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { PolicyCheck, PolicyFinding, PolicySummary } from '../../../shared/results.js';
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

const OUTCOME_BADGE: Record<PolicyFinding['outcome'], { label: MessageId; color: string }> = {
  pass: { label: 'policy.outcome.pass', color: 'green' },
  fail: { label: 'policy.outcome.fail', color: 'red' },
  'not-checked': { label: 'policy.outcome.not-checked', color: 'gray' },
};

/** `context`: a verify report says that import-only checks stop the import; an import result has already applied them. */
export function PolicyFindings({ policy, context }: { policy: PolicySummary; context: 'verify' | 'import' }) {
  const t = useT();
  const text = useSharedText();
  return (
    <List spacing="sm" listStyleType="none" pl={0} aria-label={t('policy.list')}>
      {policy.findings.map((f) => {
        const badge = { label: t(OUTCOME_BADGE[f.outcome].label), color: OUTCOME_BADGE[f.outcome].color };
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
                <Badge color={badge.color} variant={f.outcome === 'fail' ? 'filled' : 'light'} w={96}>
                  {badge.label}
                </Badge>
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

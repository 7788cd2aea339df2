/**
 * Why a bundle was rejected: every problem with its code, the file it concerns (and, for a member of
 * an archive inside it, the names inwards: `data/a.tar.gz › inner.zip › x.exe`), its message and the next step.
 */
import { Code, List, Stack, Text } from '@mantine/core';
import { displayText } from '../../../shared/display-text.js';
import type { Problem } from '../../../shared/problems.js';
import { useSharedText } from '../i18n/shared-text.js';
import { useT } from '../i18n/useT.js';
import { StatusBadge } from './StatusIcon.js';

export function ProblemList({ problems }: { problems: readonly Problem[] }) {
  const t = useT();
  const text = useSharedText();
  if (problems.length === 0) return null;
  return (
    <List spacing="sm" listStyleType="none" aria-label={t('common.problems')} pl={0}>
      {problems.map((p, index) => (
        <List.Item key={`${p.code}-${index}`} data-problem-code={p.code}>
          <Stack gap={2}>
            {/* A div, not a p: Mantine's Badge renders a div, which a p may not hold. */}
            <Text size="sm" component="div">
              <StatusBadge tone="fail" variant="filled" mr="xs">
                {p.code}
              </StatusBadge>
              {p.path ? <Code>{[p.path, ...(p.members ?? [])].map(displayText).join(' › ')}</Code> : null}
            </Text>
            <Text size="sm">{displayText(text.problemMessage(p))}</Text>
            <Text size="sm">
              <Text span fw={600}>
                {t('common.next')}{' '}
              </Text>
              {text.problemAction(p.code)}
            </Text>
          </Stack>
        </List.Item>
      ))}
    </List>
  );
}

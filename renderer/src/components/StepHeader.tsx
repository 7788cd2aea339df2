/**
 * Every step says where the operator is, what will happen, and what has been proven so far. A
 * new step takes the focus on its heading, so a screen reader announces it and Tab starts from
 * it; a step in a hidden section (the app keeps every section mounted) leaves the focus alone,
 * and so does the first step at the page load (page-load-focus.ts: Tab goes to the skip link).
 */
import { Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/useT.js';
import { useIsPageLoad } from './page-load-focus.js';

export interface StepHeaderProps {
  flow: string;
  step: number;
  of: number;
  title: string;
  /** What pressing the main button on this screen will do. */
  happens: ReactNode;
  /** Facts established by earlier steps. */
  proven?: ReactNode[];
}

export function StepHeader({ flow, step, of, title, happens, proven = [] }: StepHeaderProps) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  const isPageLoad = useIsPageLoad();
  // A new step (or a step whose title changes: verified -> rejected) is a new screen.
  useEffect(() => {
    const element = heading.current;
    if (isPageLoad()) return;
    if (element && element.closest('[hidden]') === null) element.focus({ preventScroll: true });
  }, [flow, step, title, isPageLoad]);
  return (
    <Stack gap="xs" mb="md">
      <Group gap="xs">
        <Badge variant="light" aria-label={t('flow.stepLabel', { flow, step, of })}>
          {t('flow.step', { flow, step, of })}
        </Badge>
      </Group>
      <Title order={2} ref={heading} tabIndex={-1} style={{ outlineOffset: 2 }}>
        {title}
      </Title>
      <Text size="sm" c="dimmed">
        <Text span fw={600} c="var(--mantine-color-text)">
          {t('flow.happens')}{' '}
        </Text>
        {happens}
      </Text>
      {proven.length > 0 ? (
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            {t('flow.proven')}
          </Text>
          <List size="sm" spacing={2} aria-label={t('flow.proven')}>
            {proven.map((fact, index) => (
              <List.Item key={index}>{fact}</List.Item>
            ))}
          </List>
        </Stack>
      ) : null}
    </Stack>
  );
}

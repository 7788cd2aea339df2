/** A state in an icon and a word (the icon hidden from screen readers: the word says it), never colour alone. */
import { Group, Text } from '@mantine/core';
import type { Marked } from './inbox-text.js';

export function MarkedText({ mark, size = 'sm' }: { mark: Marked; size?: 'sm' | 'md' }) {
  return (
    <Group gap={6} wrap="nowrap" component="span">
      <Text span aria-hidden="true" fw={700} c={`${mark.color}.8`} size={size}>
        {mark.icon}
      </Text>
      <Text span size={size} fw={600}>
        {mark.text}
      </Text>
    </Group>
  );
}

/**
 * While an import pushes images: which image is being sent now (Progress.item, phase
 * `pushing-images`), which are done and which wait. State is text with an icon, never colour
 * alone; the bytes, rate and time left are JobProgress's, beside it.
 */
import { Group, List, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ImageSummary } from '../../../shared/images.js';
import type { Progress } from '../../../shared/progress.js';
import type { MessageId } from '../i18n/en.js';
import { useT } from '../i18n/useT.js';
import { imageName } from './ImagesTable.js';

type PushState = 'waiting' | 'now' | 'sent';
const STATE_TEXT: Record<PushState, { icon: string; text: MessageId }> = {
  waiting: { icon: '○', text: 'push.state.waiting' },
  now: { icon: '➜', text: 'push.state.now' },
  sent: { icon: '✓', text: 'push.state.sent' },
};

/** Whether the progress item names this image (the engine may put the registry prefix in front). */
export function itemIsImage(item: string, image: ImageSummary): boolean {
  const name = imageName(image);
  return item === name || item.endsWith(`/${name}`);
}

export function ImagePushProgress({ images, progress }: { images: readonly ImageSummary[]; progress: Progress | null }) {
  const t = useT();
  const [seen, setSeen] = useState<readonly string[]>([]);
  const item = progress?.phase === 'pushing-images' ? (progress.item ?? null) : null;
  useEffect(() => {
    if (item !== null) setSeen((s) => (s.includes(item) ? s : [...s, item]));
  }, [item]);
  if (images.length === 0) return null;
  const stateOf = (image: ImageSummary): PushState =>
    item !== null && itemIsImage(item, image) ? 'now' : seen.some((s) => itemIsImage(s, image)) ? 'sent' : 'waiting';
  return (
    <List listStyleType="none" pl={0} spacing={4} aria-label={t('push.list')}>
      {images.map((image) => {
        const state = stateOf(image);
        return (
          <List.Item key={`${image.repository}:${image.tag ?? ''}@${image.digest}`} data-push-state={state} aria-current={state === 'now' ? 'step' : undefined}>
            <Group gap="xs" wrap="nowrap">
              <Text span aria-hidden="true" w={18} ta="center">
                {STATE_TEXT[state].icon}
              </Text>
              <Text size="sm" translate="no" fw={state === 'now' ? 700 : 400}>
                {imageName(image)}
              </Text>
              <Text size="sm" c="dimmed">
                {t(STATE_TEXT[state].text)}
              </Text>
            </Group>
          </List.Item>
        );
      })}
    </List>
  );
}

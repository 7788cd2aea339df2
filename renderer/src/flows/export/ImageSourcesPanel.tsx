/**
 * Export step 1, beside the files: container images and Helm charts. References are checked for
 * their shape as they are added (the engine decides the rest when it opens them); a list file,
 * charts and the far side's receipt are picked in the native dialog.
 */
import { ActionIcon, Button, Checkbox, Code, Group, List, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useId, useState, type FormEvent } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import { COMMON_PLATFORMS, IMAGE_TRANSPORTS, imageReferenceIssue, PLATFORM_PATTERN } from '../../../../shared/image-input.js';
import { imageInputMessage } from '../../i18n/image-input-text.js';
import type { FilePurpose, IpcError } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import type { MessageId } from '../../i18n/en.js';
import { useT } from '../../i18n/useT.js';
import type { ImageChoice } from './image-choice.js';
import { StatusText } from '../../components/StatusIcon.js';

export interface ImageSourcesPanelProps {
  choice: ImageChoice;
  onChange: (choice: ImageChoice) => void;
}

/** One removable entry (a reference or a path), shown escaped. */
function Entry({ text, removeLabel, onRemove }: { text: string; removeLabel: MessageId; onRemove: () => void }) {
  const t = useT();
  return (
    <List.Item>
      <Group gap="xs" wrap="nowrap">
        <ActionIcon variant="subtle" color="red" aria-label={t(removeLabel, { text: displayText(text) })} onClick={onRemove}>
          ×
        </ActionIcon>
        <Code translate="no">{displayText(text)}</Code>
      </Group>
    </List.Item>
  );
}

export function ImageSourcesPanel({ choice, onChange }: ImageSourcesPanelProps) {
  const api = useApi();
  const t = useT();
  const headingId = useId();
  const [reference, setReference] = useState('');
  const [referenceError, setReferenceError] = useState<string | null>(null);
  const [otherPlatform, setOtherPlatform] = useState('');
  const [platformError, setPlatformError] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<IpcError | null>(null);
  const update = (patch: Partial<ImageChoice>) => onChange({ ...choice, ...patch });

  const addReference = (event: FormEvent) => {
    event.preventDefault();
    const issue = imageReferenceIssue(reference);
    const problem = issue !== null ? imageInputMessage(t, issue) : choice.images.includes(reference) ? t('xi.duplicate') : null;
    setReferenceError(problem);
    if (problem) return;
    update({ images: [...choice.images, reference] });
    setReference('');
  };

  const pick = async (purpose: FilePurpose): Promise<string[]> => {
    setDialogError(null);
    try {
      return (await call(api, 'chooseFile', { purpose })).paths;
    } catch (e) {
      setDialogError(asIpcError(e));
      return [];
    }
  };

  const chosenPlatforms = choice.platforms === 'all' ? [] : choice.platforms;
  const addOtherPlatform = () => {
    const platform = otherPlatform.trim();
    const problem = PLATFORM_PATTERN.test(platform) ? null : t('xi.platformError');
    setPlatformError(problem);
    if (problem) return;
    if (!chosenPlatforms.includes(platform)) update({ platforms: [...chosenPlatforms, platform] });
    setOtherPlatform('');
  };
  const otherPlatforms = chosenPlatforms.filter((p) => !(COMMON_PLATFORMS as readonly string[]).includes(p));

  return (
    <Stack gap="sm" role="group" aria-labelledby={headingId}>
      <Title order={3} id={headingId}>
        {t('xi.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('xi.intro')}
      </Text>
      <form onSubmit={addReference} aria-label={t('xi.addForm')}>
        <Group align="flex-start" gap="xs">
          <TextInput
            label={t('xi.reference')}
            description={t('xi.referenceHelp', { forms: IMAGE_TRANSPORTS.map((transport) => transport.form).join(', ') })}
            value={reference}
            onChange={(e) => {
              setReference(e.currentTarget.value);
              setReferenceError(null);
            }}
            error={referenceError}
            spellCheck={false}
            autoComplete="off"
            translate="no"
            style={{ flex: 1 }}
            maw={640}
          />
          <Button type="submit" mt={44}>
            {t('xi.add')}
          </Button>
        </Group>
      </form>
      {choice.images.length > 0 ? (
        <List spacing={4} listStyleType="none" pl={0} aria-label={t('xi.list')}>
          {choice.images.map((ref) => (
            <Entry key={ref} text={ref} removeLabel="xi.remove.image" onRemove={() => update({ images: choice.images.filter((r) => r !== ref) })} />
          ))}
        </List>
      ) : null}

      <Group gap="xs">
        <Button
          variant="default"
          onClick={() =>
            void pick('image-list').then(([path]) => {
              if (path !== undefined) update({ imagesFrom: path });
            })
          }
        >
          {choice.imagesFrom === null ? t('xi.loadList') : t('xi.anotherList')}
        </Button>
        <Button
          variant="default"
          onClick={() => void pick('chart').then((paths) => paths.length > 0 && update({ charts: [...new Set([...choice.charts, ...paths])] }))}
        >
          {t('xi.addCharts')}
        </Button>
      </Group>
      {choice.imagesFrom !== null ? (
        <Stack gap={2}>
          <Text size="sm">{t('xi.listFile')}</Text>
          <List listStyleType="none" pl={0} aria-label={t('xi.listFileLabel')}>
            <Entry text={choice.imagesFrom} removeLabel="xi.remove.listFile" onRemove={() => update({ imagesFrom: null })} />
          </List>
        </Stack>
      ) : null}
      {choice.charts.length > 0 ? (
        <List spacing={4} listStyleType="none" pl={0} aria-label={t('xi.charts')}>
          {choice.charts.map((chart) => (
            <Entry key={chart} text={chart} removeLabel="xi.remove.chart" onRemove={() => update({ charts: choice.charts.filter((c) => c !== chart) })} />
          ))}
        </List>
      ) : null}

      <Radio.Group
        label={t('xi.platforms')}
        value={choice.platforms === 'all' ? 'all' : 'chosen'}
        onChange={(value) => update({ platforms: value === 'all' ? 'all' : chosenPlatforms })}
      >
        <Group mt="xs">
          <Radio value="all" label={t('xi.allPlatforms')} />
          <Radio value="chosen" label={t('xi.chosenPlatforms')} />
        </Group>
      </Radio.Group>
      {choice.platforms !== 'all' ? (
        <Stack gap="xs" pl="md">
          <Checkbox.Group
            label={t('xi.platformsToTake')}
            value={chosenPlatforms}
            onChange={(platforms) => update({ platforms: [...platforms, ...otherPlatforms] })}
          >
            <Group mt="xs">
              {COMMON_PLATFORMS.map((p) => (
                <Checkbox key={p} value={p} label={p} translate="no" />
              ))}
            </Group>
          </Checkbox.Group>
          {otherPlatforms.length > 0 ? (
            <List spacing={4} listStyleType="none" pl={0} aria-label={t('xi.otherPlatforms')}>
              {otherPlatforms.map((p) => (
                <Entry key={p} text={p} removeLabel="xi.remove.platform" onRemove={() => update({ platforms: chosenPlatforms.filter((c) => c !== p) })} />
              ))}
            </List>
          ) : null}
          <Group align="flex-start" gap="xs">
            <TextInput
              label={t('xi.otherPlatform')}
              placeholder="linux/riscv64"
              value={otherPlatform}
              onChange={(e) => {
                setOtherPlatform(e.currentTarget.value);
                setPlatformError(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addOtherPlatform();
                }
              }}
              error={platformError}
              spellCheck={false}
              translate="no"
            />
            <Button variant="default" mt={25} onClick={addOtherPlatform}>
              {t('xi.addPlatform')}
            </Button>
          </Group>
          {chosenPlatforms.length === 0 ? (
            <StatusText tone="fail" role="status">
              {t('xi.noPlatform')}
            </StatusText>
          ) : null}
        </Stack>
      ) : null}

      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('xi.skip.title')}
        </Text>
        <Text size="sm" c="dimmed">
          {t('xi.skip.text')}
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            onClick={() =>
              void pick('blobs-receipt').then(([path]) => {
                if (path !== undefined) update({ skipBlobsIn: path });
              })
            }
          >
            {choice.skipBlobsIn === null ? t('xi.skip.choose') : t('xi.skip.another')}
          </Button>
        </Group>
        {choice.skipBlobsIn !== null ? (
          <List listStyleType="none" pl={0} aria-label={t('xi.skip.label')}>
            <Entry text={choice.skipBlobsIn} removeLabel="xi.remove.receipt" onRemove={() => update({ skipBlobsIn: null })} />
          </List>
        ) : null}
      </Stack>
      {dialogError ? <ErrorAlert error={dialogError} /> : null}
    </Stack>
  );
}

/**
 * Export step 1, beside the files: container images and Helm charts. References are checked for
 * their shape as they are added (the engine decides the rest when it opens them); a list file,
 * charts and the far side's receipt are picked in the native dialog.
 */
import { ActionIcon, Button, Checkbox, Code, Group, List, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useId, useState, type FormEvent } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import { COMMON_PLATFORMS, IMAGE_TRANSPORTS, imageReferenceProblem, PLATFORM_PATTERN } from '../../../../shared/image-input.js';
import type { FilePurpose, IpcError } from '../../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import type { ImageChoice } from './image-choice.js';
import { StatusText } from '../../components/StatusIcon.js';

export interface ImageSourcesPanelProps {
  choice: ImageChoice;
  onChange: (choice: ImageChoice) => void;
}

/** One removable entry (a reference or a path), shown escaped. */
function Entry({ text, noun, onRemove }: { text: string; noun: string; onRemove: () => void }) {
  return (
    <List.Item>
      <Group gap="xs" wrap="nowrap">
        <ActionIcon variant="subtle" color="red" aria-label={`Remove ${noun} ${displayText(text)}`} onClick={onRemove}>
          ×
        </ActionIcon>
        <Code translate="no">{displayText(text)}</Code>
      </Group>
    </List.Item>
  );
}

export function ImageSourcesPanel({ choice, onChange }: ImageSourcesPanelProps) {
  const api = useApi();
  const headingId = useId();
  const [reference, setReference] = useState('');
  const [referenceError, setReferenceError] = useState<string | null>(null);
  const [otherPlatform, setOtherPlatform] = useState('');
  const [platformError, setPlatformError] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<IpcError | null>(null);
  const update = (patch: Partial<ImageChoice>) => onChange({ ...choice, ...patch });

  const addReference = (event: FormEvent) => {
    event.preventDefault();
    const problem = imageReferenceProblem(reference) ?? (choice.images.includes(reference) ? 'This image is already in the list.' : null);
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
    const problem = PLATFORM_PATTERN.test(platform) ? null : 'Give os/architecture[/variant] in lower case, e.g. linux/riscv64.';
    setPlatformError(problem);
    if (problem) return;
    if (!chosenPlatforms.includes(platform)) update({ platforms: [...chosenPlatforms, platform] });
    setOtherPlatform('');
  };
  const otherPlatforms = chosenPlatforms.filter((p) => !(COMMON_PLATFORMS as readonly string[]).includes(p));

  return (
    <Stack gap="sm" role="group" aria-labelledby={headingId}>
      <Title order={3} id={headingId}>
        Container images and Helm charts
      </Title>
      <Text size="sm" c="dimmed">
        Images travel inside the signed bundle as one OCI image layout, each layer stored once, and can be pushed to the far side’s registry on import.
      </Text>
      <form onSubmit={addReference} aria-label="Add an image">
        <Group align="flex-start" gap="xs">
          <TextInput
            label="Image reference"
            description={`One of: ${IMAGE_TRANSPORTS.map((t) => t.form).join(', ')}`}
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
            Add image
          </Button>
        </Group>
      </form>
      {choice.images.length > 0 ? (
        <List spacing={4} listStyleType="none" pl={0} aria-label="Images to send">
          {choice.images.map((ref) => (
            <Entry key={ref} text={ref} noun="image" onRemove={() => update({ images: choice.images.filter((r) => r !== ref) })} />
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
          {choice.imagesFrom === null ? 'Load list file…' : 'Choose another list file…'}
        </Button>
        <Button
          variant="default"
          onClick={() => void pick('chart').then((paths) => paths.length > 0 && update({ charts: [...new Set([...choice.charts, ...paths])] }))}
        >
          Add Helm charts…
        </Button>
      </Group>
      {choice.imagesFrom !== null ? (
        <Stack gap={2}>
          <Text size="sm">List file (one reference per line; read when the export starts):</Text>
          <List listStyleType="none" pl={0} aria-label="Image list file">
            <Entry text={choice.imagesFrom} noun="list file" onRemove={() => update({ imagesFrom: null })} />
          </List>
        </Stack>
      ) : null}
      {choice.charts.length > 0 ? (
        <List spacing={4} listStyleType="none" pl={0} aria-label="Helm charts to send">
          {choice.charts.map((chart) => (
            <Entry key={chart} text={chart} noun="chart" onRemove={() => update({ charts: choice.charts.filter((c) => c !== chart) })} />
          ))}
        </List>
      ) : null}

      <Radio.Group
        label="Platforms of multi-platform images"
        value={choice.platforms === 'all' ? 'all' : 'chosen'}
        onChange={(value) => update({ platforms: value === 'all' ? 'all' : chosenPlatforms })}
      >
        <Group mt="xs">
          <Radio value="all" label="All platforms the image has" />
          <Radio value="chosen" label="Only the platforms chosen below" />
        </Group>
      </Radio.Group>
      {choice.platforms !== 'all' ? (
        <Stack gap="xs" pl="md">
          <Checkbox.Group label="Platforms to take" value={chosenPlatforms} onChange={(platforms) => update({ platforms: [...platforms, ...otherPlatforms] })}>
            <Group mt="xs">
              {COMMON_PLATFORMS.map((p) => (
                <Checkbox key={p} value={p} label={p} translate="no" />
              ))}
            </Group>
          </Checkbox.Group>
          {otherPlatforms.length > 0 ? (
            <List spacing={4} listStyleType="none" pl={0} aria-label="Other platforms">
              {otherPlatforms.map((p) => (
                <Entry key={p} text={p} noun="platform" onRemove={() => update({ platforms: chosenPlatforms.filter((c) => c !== p) })} />
              ))}
            </List>
          ) : null}
          <Group align="flex-start" gap="xs">
            <TextInput
              label="Other platform"
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
              Add platform
            </Button>
          </Group>
          {chosenPlatforms.length === 0 ? (
            <StatusText tone="fail" role="status">
              Choose at least one platform, or take all of them.
            </StatusText>
          ) : null}
        </Stack>
      ) : null}

      <Stack gap={4}>
        <Text size="sm" fw={600}>
          Leave out what the far side already holds (optional)
        </Text>
        <Text size="sm" c="dimmed">
          A signed import receipt from the receiving station lists the blobs its registry holds; they are left out of this bundle, and the import checks they
          are there before it pushes anything.
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
            {choice.skipBlobsIn === null ? 'Choose import receipt…' : 'Choose another receipt…'}
          </Button>
        </Group>
        {choice.skipBlobsIn !== null ? (
          <List listStyleType="none" pl={0} aria-label="Import receipt">
            <Entry text={choice.skipBlobsIn} noun="receipt" onRemove={() => update({ skipBlobsIn: null })} />
          </List>
        ) : null}
      </Stack>
      {dialogError ? <ErrorAlert error={dialogError} /> : null}
    </Stack>
  );
}

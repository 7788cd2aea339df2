/**
 * "Insert a medium": the media detected now (live), the bundles on the chosen one (split bundles
 * as one entry), and the bundle file dialog for anything else. Names on a medium are hostile:
 * every one is shown through displayText. The choice is a path either way; verify and import
 * find the other parts of a split bundle themselves (beside it, then on the other media).
 */
import { Alert, Button, Group, Radio, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError, IpcResponse, MediumBundle } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { useMedia } from '../hooks/useMedia.js';
import { BundlePicker } from './BundlePicker.js';
import { ErrorAlert } from './ErrorAlert.js';
import { useFormat, type LocalFormat } from '../i18n/format.js';
import { useT, type Translate } from '../i18n/useT.js';
import { MediaCount, mediumName, MediumRadio } from './media.js';
import { StatusText } from './StatusIcon.js';

function describeBundle(t: Translate, f: LocalFormat, b: MediumBundle): string {
  if (b.kind === 'bundle') return t('mediumBundles.file', { size: f.bytes(b.bytes) });
  const parts =
    b.partsTotal === null
      ? t('mediumBundles.partsElsewhere')
      : b.partsHere === b.partsTotal
        ? t('mediumBundles.allParts', { total: b.partsTotal })
        : t('mediumBundles.someParts', { here: b.partsHere, total: b.partsTotal });
  return t(b.indexHere ? 'mediumBundles.split' : 'mediumBundles.splitNoIndex', { parts, size: f.bytes(b.bytes) });
}

export interface MediumBundlePickerProps {
  bundlePath: string | null;
  onChange: (path: string) => void;
  pollMs?: number | undefined;
}

export function MediumBundlePicker({ bundlePath, onChange, pollMs }: MediumBundlePickerProps) {
  const api = useApi();
  const t = useT();
  const f = useFormat();
  const { media, error: listError } = useMedia(pollMs);
  const [mediumId, setMediumId] = useState<string | null>(null);
  const [listing, setListing] = useState<IpcResponse<'listMediumBundles'> | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [refresh, setRefresh] = useState(0);

  // One medium and nothing chosen yet: take it (several: the operator chooses).
  const only = media?.length === 1 ? media[0] : undefined;
  useEffect(() => {
    if (mediumId === null && only) setMediumId(only.id);
  }, [mediumId, only]);

  const chosen = mediumId === null ? null : (media?.find((v) => v.id === mediumId) ?? null);
  const gone = mediumId !== null && media !== null && chosen === null;
  // A medium whose contents changed (free space moved) is listed again.
  const stamp = chosen ? `${chosen.id}|${chosen.free ?? ''}|${chosen.mountPoint ?? ''}` : null;

  // The last listing stays up while the same medium is listed again (its free space moves with
  // every write on its disk): replacing the radios would throw the keyboard focus to the page.
  // A listing of another medium is never shown (onMedium below).
  useEffect(() => {
    setError(null);
    if (stamp === null || mediumId === null) return undefined;
    let active = true;
    call(api, 'listMediumBundles', { mediumId })
      .then((l) => active && setListing(l))
      .catch((e: unknown) => active && setError(asIpcError(e)));
    return () => {
      active = false;
    };
  }, [api, mediumId, stamp, refresh]);

  const onMedium = listing && chosen && listing.medium.id === chosen.id ? listing : null;
  return (
    <Stack gap="sm">
      <MediaCount media={media} purpose="read" />
      {listError ? <ErrorAlert error={listError} title={t('mediumBundles.listError')} /> : null}
      {media && media.length > 0 ? (
        <Radio.Group value={mediumId} onChange={setMediumId} label={t('mediumBundles.medium')} name="medium">
          <Stack gap="xs" mt="xs">
            {media.map((m) => (
              <MediumRadio key={m.id} medium={m} disabled={m.mountPoint === null} notes={m.mountPoint === null ? [t('mediumBundles.notMounted')] : []} />
            ))}
          </Stack>
        </Radio.Group>
      ) : null}
      {gone ? (
        <Alert color="yellow" title={t('mediumBundles.goneTitle')} role="alert">
          <Text size="sm">{t('mediumBundles.goneText')}</Text>
        </Alert>
      ) : null}
      {error ? <ErrorAlert error={error} title={t('mediumBundles.readError')} /> : null}
      {chosen && onMedium ? (
        onMedium.bundles.length === 0 ? (
          <Alert color="yellow" title={t('mediumBundles.noneTitle', { medium: mediumName(chosen) })} role="status">
            <Text size="sm">{t('mediumBundles.noneText')}</Text>
          </Alert>
        ) : (
          <Radio.Group
            value={onMedium.bundles.some((b) => b.path === bundlePath) ? bundlePath : null}
            onChange={onChange}
            label={t('mediumBundles.list', { medium: mediumName(chosen), count: onMedium.bundles.length })}
            name="medium-bundle"
          >
            <Stack gap="xs" mt="xs">
              {onMedium.bundles.map((b) => (
                <Radio key={b.path} value={b.path} label={<Text fw={600}>{displayText(b.name)}</Text>} description={describeBundle(t, f, b)} />
              ))}
            </Stack>
          </Radio.Group>
        )
      ) : null}
      {onMedium && onMedium.leftovers > 0 ? <StatusText tone="warn">{t('mediumBundles.leftovers', { count: onMedium.leftovers })}</StatusText> : null}
      {onMedium?.truncated ? (
        <Text size="sm" c="dimmed">
          {t('mediumBundles.truncated')}
        </Text>
      ) : null}
      {chosen ? (
        <Group>
          <Button variant="subtle" size="compact-sm" onClick={() => setRefresh((n) => n + 1)}>
            {t('mediumBundles.again')}
          </Button>
        </Group>
      ) : null}
      <Text size="sm" fw={600} mt="sm">
        {t('mediumBundles.orFile')}
      </Text>
      <BundlePicker value={bundlePath} onChange={onChange} />
    </Stack>
  );
}

/**
 * A failed read-back (MEDIA_READBACK_FAILED), as its own failure state (issue #19.4): the file,
 * where it first differs, the expected and found SHA-256 (from the error's data; hashes and paths
 * are never translated), and the next step. No Eject: the medium is evidence, not a delivery.
 * A bundle written in one pass is checked region by region: the finding is the region and its byte
 * range, not a first differing byte, and there is no whole-file SHA-256 to expect. The region comes
 * as data (`differsInPart`, `differsInPath`, `differsInEndsEarly`) and is worded here in the
 * operator's language; the engine's English words (`differsIn`) are the fallback for a part this
 * app does not know.
 */
import { Alert, Code, Stack, Table, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { IpcError } from '../../../../shared/ipc.js';
import { isReadBackRegionPart } from '../../../../shared/read-back-region.js';
import { useT, type Translate } from '../../i18n/useT.js';

function field(error: IpcError, key: string): string | number | null {
  const value = error.data?.[key];
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

/** The differing region in the operator's words, or the engine's English words when the part is unknown. */
function regionWords(error: IpcError, t: Translate): string | null {
  const part = error.data?.['differsInPart'];
  if (!isReadBackRegionPart(part)) {
    const words = field(error, 'differsIn');
    return words === null ? null : displayText(String(words));
  }
  const path = field(error, 'differsInPath');
  const words = t(`mediaStep.readBackFailed.part.${part}`, { path: displayText(String(path ?? '')) });
  return error.data?.['differsInEndsEarly'] === true ? t('mediaStep.readBackFailed.endsEarly', { region: words }) : words;
}

export function ReadBackFailed({ error }: { error: IpcError }) {
  const t = useT();
  const file = field(error, 'file') ?? error.path ?? null;
  const offset = field(error, 'offset');
  const length = field(error, 'length');
  const expected = field(error, 'expectedSha256');
  const region = regionWords(error, t);
  const found = field(error, 'foundSha256');
  const files = field(error, 'files');
  const more = typeof files === 'number' && files > 1 ? files - 1 : 0;
  const mono = (value: string) => (
    <Code translate="no" style={{ wordBreak: 'break-all' }}>
      {displayText(value)}
    </Code>
  );
  return (
    <Alert color="red" role="alert" title={<span>✗ {t('mediaStep.readBackFailed.title')}</span>} data-failure="read-back">
      <Stack gap="xs">
        <Text size="sm">{t('mediaStep.readBackFailed.body')}</Text>
        <Table aria-label={t('mediaStep.readBackFailed.title')} withRowBorders={false} verticalSpacing={2}>
          <Table.Tbody>
            {file !== null ? (
              <Table.Tr>
                <Table.Th scope="row">{t('mediaStep.readBackFailed.file')}</Table.Th>
                <Table.Td>{mono(String(file))}</Table.Td>
              </Table.Tr>
            ) : null}
            {region !== null ? (
              <Table.Tr data-differs-in="region">
                <Table.Th scope="row">{t('mediaStep.readBackFailed.region')}</Table.Th>
                <Table.Td>
                  <Text span size="sm">
                    {region}
                  </Text>{' '}
                  {typeof offset === 'number' && typeof length === 'number'
                    ? t('mediaStep.readBackFailed.regionBytes', { from: String(offset), to: String(offset + length - 1) })
                    : null}
                </Table.Td>
              </Table.Tr>
            ) : (
              <Table.Tr>
                <Table.Th scope="row">{t('mediaStep.readBackFailed.offset')}</Table.Th>
                <Table.Td>
                  {typeof offset === 'number' && typeof length === 'number'
                    ? t('mediaStep.readBackFailed.offsetValue', { offset: String(offset), from: String(offset), to: String(offset + length - 1) })
                    : t('mediaStep.readBackFailed.offsetUnknown')}
                </Table.Td>
              </Table.Tr>
            )}
            {expected !== null ? (
              <Table.Tr>
                <Table.Th scope="row">{t('mediaStep.readBackFailed.expected')}</Table.Th>
                <Table.Td>{mono(String(expected))}</Table.Td>
              </Table.Tr>
            ) : null}
            <Table.Tr>
              <Table.Th scope="row">{t('mediaStep.readBackFailed.found')}</Table.Th>
              <Table.Td>{found !== null ? mono(String(found)) : t('mediaStep.readBackFailed.unreadable')}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('mediaStep.readBackFailed.code')}</Table.Th>
              <Table.Td>{mono(error.code)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        {more > 0 ? <Text size="sm">{t('mediaStep.readBackFailed.more', { count: more })}</Text> : null}
        <Text size="sm" fw={600}>
          {t('mediaStep.readBackFailed.next')}
        </Text>
      </Stack>
    </Alert>
  );
}

/**
 * The media a staged export continues onto when it does not fit on the first (the CLI's
 * `export --finish STAGED --to-media A,B,...`): one checkbox per other writable medium, in the
 * order listed; volume 1 goes on the medium chosen above, the rest in that order, as parts with a
 * signed volume index (core's media output plans, writes and reads each back). Every medium must be
 * inserted before the write starts: the app does not stop half-way to ask for the next one.
 */
import { Checkbox, Stack, Text } from '@mantine/core';
import type { MediaVolumeView } from '../../../../shared/ipc.js';
import { mediumFacts, mediumName } from '../../components/media.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';

export function MoreMediaChoice({
  candidates,
  value,
  onChange,
}: {
  /** The writable media besides the first, as the live list has them. */
  candidates: MediaVolumeView[];
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  const t = useT();
  const f = useFormat();
  if (candidates.length === 0) return null;
  // Kept in the list's order whatever order they were ticked in: the order the help text promises.
  const inListOrder = (ids: string[]) => candidates.filter((m) => ids.includes(m.id)).map((m) => m.id);
  return (
    <Checkbox.Group
      value={value}
      onChange={(ids) => onChange(inListOrder(ids))}
      label={t('staged.finish.more')}
      description={t('staged.finish.moreHelp')}
      data-testid="finish-more-media"
    >
      <Stack gap="xs" mt="xs">
        {candidates.map((m) => (
          <Checkbox
            key={m.id}
            value={m.id}
            label={<Text fw={600}>{mediumName(m)}</Text>}
            description={
              <Text span size="sm" c="dimmed">
                {mediumFacts(t, f, m)}
              </Text>
            }
          />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}

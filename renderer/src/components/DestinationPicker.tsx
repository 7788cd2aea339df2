/**
 * A folder picked in the native dialog: the import destination, and the export's "a folder"
 * choice (removable media are listed by the export's DestinationStep itself).
 */
import { call, useApi } from '../api.js';
import { useT } from '../i18n/useT.js';
import { PathPicker } from './PathPicker.js';

export interface DestinationPickerProps {
  purpose: 'export-destination' | 'import-destination';
  value: string | null;
  onChange: (path: string) => void;
}

export function DestinationPicker({ purpose, value, onChange }: DestinationPickerProps) {
  const api = useApi();
  const t = useT();
  return (
    <PathPicker
      labels={{ choose: t('picker.folder.choose'), another: t('picker.folder.another'), chosen: t('picker.folder.chosen') }}
      emptyText={t('picker.folder.empty')}
      value={value}
      onChange={onChange}
      choose={async () => (await call(api, 'chooseFolder', { purpose })).path}
    />
  );
}

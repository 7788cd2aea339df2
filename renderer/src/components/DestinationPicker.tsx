/**
 * A folder picked in the native dialog: the import destination, and the export's "a folder"
 * choice (removable media are listed by the export's DestinationStep itself).
 */
import { call, useApi } from '../api.js';
import { PathPicker } from './PathPicker.js';

export interface DestinationPickerProps {
  purpose: 'export-destination' | 'import-destination';
  value: string | null;
  onChange: (path: string) => void;
}

export function DestinationPicker({ purpose, value, onChange }: DestinationPickerProps) {
  const api = useApi();
  return (
    <PathPicker
      noun="folder"
      emptyText="No folder chosen yet."
      value={value}
      onChange={onChange}
      choose={async () => (await call(api, 'chooseFolder', { purpose })).path}
    />
  );
}

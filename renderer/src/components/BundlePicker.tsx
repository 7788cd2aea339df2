/** Choosing the bundle file to verify or import by dialog (media list their bundles in MediumBundlePicker). */
import { call, useApi } from '../api.js';
import { PathPicker } from './PathPicker.js';

export function BundlePicker({ value, onChange }: { value: string | null; onChange: (path: string) => void }) {
  const api = useApi();
  return (
    <PathPicker
      noun="bundle"
      emptyText="No bundle chosen yet (a file named NAME.airlock.tar)."
      value={value}
      onChange={onChange}
      choose={async () => (await call(api, 'chooseBundle', {})).path}
    />
  );
}

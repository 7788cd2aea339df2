/** Choosing the bundle file to verify or import by dialog (media list their bundles in MediumBundlePicker). */
import { call, useApi } from '../api.js';
import { useT } from '../i18n/useT.js';
import { PathPicker } from './PathPicker.js';

export function BundlePicker({ value, onChange }: { value: string | null; onChange: (path: string) => void }) {
  const api = useApi();
  const t = useT();
  return (
    <PathPicker
      labels={{ choose: t('picker.bundle.choose'), another: t('picker.bundle.another'), chosen: t('picker.bundle.chosen') }}
      emptyText={t('picker.bundle.empty')}
      value={value}
      onChange={onChange}
      choose={async () => (await call(api, 'chooseBundle', {})).path}
    />
  );
}

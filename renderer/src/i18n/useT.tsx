/**
 * The typed way to the catalogue: `t('settings.save')` with an id TypeScript checks against
 * en.ts, and <Msg> for messages that wrap parts in elements (`<b>Next:</b> {action}`).
 */
import { useCallback, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { MessageId } from './en.js';

export type MessageValues = Record<string, string | number | boolean | Date | null | undefined>;
export type Translate = (id: MessageId, values?: MessageValues) => string;

export function useT(): Translate {
  const intl = useIntl();
  return useCallback((id, values) => intl.formatMessage({ id }, values), [intl]);
}

type RichValue = ReactNode | ((chunks: ReactNode[]) => ReactNode);

export function Msg({ id, values = {} }: { id: MessageId; values?: Record<string, RichValue> }) {
  return <FormattedMessage id={id} values={values} />;
}

/** The catalogue of each locale, as react-intl takes it (the pseudo-locale pre-parsed, built once from English). */
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { de } from './de.js';
import { en, type MessageId } from './en.js';
import type { AppLocale } from './locales.js';
import { pseudoMessage } from './pseudo.js';

let pseudo: Record<MessageId, MessageFormatElement[]> | null = null;

/** react-intl takes a table of strings or a table of parsed messages, not a mix. */
export function messagesFor(locale: AppLocale): Record<string, string> | Record<string, MessageFormatElement[]> {
  switch (locale) {
    case 'en':
      return en;
    case 'de':
      return de;
    case 'en-XA':
      pseudo ??= Object.fromEntries(Object.entries(en).map(([id, message]) => [id, pseudoMessage(message)])) as Record<MessageId, MessageFormatElement[]>;
      return pseudo;
  }
}

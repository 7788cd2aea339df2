/**
 * The pseudo-locale "en-XA": every English message with its letters accented and the whole
 * wrapped in ⟦ ⟧. Placeholders, plurals and tags keep their structure (the message is
 * transformed as a parsed ICU tree, so `{count, plural, one {# file} other {# files}}` stays a
 * plural). Text on screen outside ⟦ ⟧ did not come from the catalogue: the e2e test fails on it.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

export const PSEUDO_OPEN = '⟦';
export const PSEUDO_CLOSE = '⟧';

const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries([...'aceginorsuyACEGINORSUY'].map((c, i) => [c, [...'åçéĝîñöŕšûýÅÇÉĜÎÑÖŔŠÛÝ'][i] ?? c]));

export function accent(text: string): string {
  return [...text].map((c) => ACCENTED[c] ?? c).join('');
}

function transform(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    switch (element.type) {
      case TYPE.literal:
        return { ...element, value: accent(element.value) };
      case TYPE.plural:
      case TYPE.select:
        return {
          ...element,
          options: Object.fromEntries(Object.entries(element.options).map(([key, option]) => [key, { ...option, value: transform(option.value) }])),
        };
      case TYPE.tag:
        return { ...element, children: transform(element.children) };
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
      case TYPE.pound:
        return element;
    }
  });
}

/** One message in the pseudo-locale, as a parsed tree react-intl takes as it is. */
export function pseudoMessage(message: string): MessageFormatElement[] {
  const open: MessageFormatElement = { type: TYPE.literal, value: PSEUDO_OPEN };
  const close: MessageFormatElement = { type: TYPE.literal, value: PSEUDO_CLOSE };
  return [open, ...transform(parse(message)), close];
}

/** Text from outside the catalogue that the pseudo-locale still marks (the English problem and error texts shared/ holds). */
export function pseudoText(text: string): string {
  return `${PSEUDO_OPEN}${accent(text)}${PSEUDO_CLOSE}`;
}

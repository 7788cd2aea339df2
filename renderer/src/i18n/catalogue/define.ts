/**
 * One area's messages in both languages, side by side: `de` must have exactly the ids `en` has
 * (a missing id is a type error, an extra one an excess-property error). Values are ICU
 * MessageFormat; test/unit/renderer/i18n/catalogues.test.ts checks both sides use the same
 * placeholders.
 */
export interface AreaMessages<Id extends string> {
  en: Readonly<Record<Id, string>>;
  de: Readonly<Record<Id, string>>;
}

export function area<const E extends Readonly<Record<string, string>>>(en: E, de: { readonly [K in keyof E]: string }): AreaMessages<keyof E & string> {
  return { en, de };
}

/**
 * Text from a bundle (file names, bag-info values, key user IDs) is hostile: a name holding
 * escape sequences or bidi overrides could rewrite what the operator sees. Before text reaches
 * a terminal or a label, control and bidi characters are shown as visible \u escapes.
 */
const UNSAFE_FOR_DISPLAY = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export function displayText(text: string): string {
  return text.replace(UNSAFE_FOR_DISPLAY, (char) => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

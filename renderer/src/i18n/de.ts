/** The German catalogue: every area's `de` (catalogue/*.ts; each area's type makes it list exactly the ids its `en` has). */
import { AREAS } from './catalogue/index.js';
import type { MessageId } from './en.js';

export const de = Object.assign({}, ...Object.values(AREAS).map((a) => a.de)) as Readonly<Record<MessageId, string>>;

/** The English catalogue: every area's `en` (catalogue/*.ts), one flat table keyed by message id. */
import { AREAS } from './catalogue/index.js';

type Areas = typeof AREAS;
type Union<T> = T extends unknown ? T : never;
type AreaIds = Union<{ [A in keyof Areas]: keyof Areas[A]['en'] }[keyof Areas]>;
export type MessageId = AreaIds & string;

export const en = Object.assign({}, ...Object.values(AREAS).map((a) => a.en)) as Readonly<Record<MessageId, string>>;

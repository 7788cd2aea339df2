import type { z } from 'zod';
import { AirlockError, errnoOf } from '../errors.js';
import { readRegularFile } from './open-regular.js';

/**
 * Read a JSON file from the station home and validate it. A missing file is `whenMissing`; an
 * unreadable, non-JSON or off-schema file is CONFIG_INVALID naming the file and each bad field,
 * so an operator can fix it without guessing. `schema` is asked for only when there is a file to
 * validate (a schema built on first use, on-first-use.ts, is then never built for a missing file).
 * `plain`, where given, is a check without zod for the common case: its result is taken when it
 * has one, and the schema decides whenever it returns undefined (keys/trust-store-plain.ts).
 */
export async function readJsonConfig<T>(path: string, schema: () => z.ZodType<T>, whenMissing: T, plain?: (json: unknown) => T | undefined): Promise<T> {
  let text: string;
  try {
    text = await readRegularFile(path, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return whenMissing;
    if (error instanceof AirlockError) throw error; // NOT_A_FILE: a FIFO, socket or device, refused without blocking
    throw new AirlockError('CONFIG_INVALID', `${path}: ${(error as Error).message}`, { path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AirlockError('CONFIG_INVALID', `${path} is not valid JSON: ${(error as Error).message}`, { path });
  }
  const checked = plain?.(json);
  if (checked !== undefined) return checked;
  const parsed = schema().safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new AirlockError('CONFIG_INVALID', `${path}: ${issues}`, { path });
  }
  return parsed.data;
}

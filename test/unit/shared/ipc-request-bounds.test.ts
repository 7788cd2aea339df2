/**
 * Every IPC request a renderer can send is hostile until its schema has parsed it (main parses
 * each with the channel's schema before a handler runs: electron/main/ipc/dispatch.ts). Walked
 * over every channel of the contract, not one example each, so a channel added later is held to
 * the same rules without a test of its own:
 * - every object, at any depth, is strict: an unknown key (`__proto__` and `constructor`
 *   included, as JSON.parse makes them own keys) is refused by name, never dropped in silence;
 * - every string and every array has an upper bound (a runaway or hostile renderer cannot send
 *   megabytes of path or a million paths), and a value one past it is refused at its key;
 * - a value of another type at any key is refused at that key, and a request that is not an
 *   object at all is refused;
 * - parsing hostile keys leaves Object.prototype as it was.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { IPC_CHANNELS, IPC_METHODS } from '../../../shared/ipc.js';

/** The parts of zod 4's schema internals this walk reads. */
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  element?: Schema;
  options?: Schema[];
  in?: Schema;
  checks?: Array<{ _zod: { def: { check: string; maximum?: number } } }>;
}
interface Schema {
  _zod: { def: Def };
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'readonly', 'nonoptional', 'catch', 'prefault']);
/** The longest string any request may carry (a path is 4096; a passphrase 1024). */
const LONGEST_STRING = 64 * 1024;
/** The most elements any request array may carry (a selection of 10,000 paths). */
const LONGEST_ARRAY = 100_000;

function maxOf(schema: Schema): number | undefined {
  return schema._zod.def.checks?.find((c) => c._zod.def.check === 'max_length')?._zod.def.maximum;
}

/** The schema under optional/nullable/default and the input side of a pipe (a trim, a transform). */
function core(schema: Schema): Schema {
  const def = schema._zod.def;
  if (WRAPPERS.has(def.type) && def.innerType) return core(def.innerType);
  if (def.type === 'pipe' && def.in) return core(def.in);
  return schema;
}

/** Every place in `schema` that breaks a rule, by path. */
function violations(schema: Schema, path: string): string[] {
  const s = core(schema);
  const def = s._zod.def;
  switch (def.type) {
    case 'object':
      return [
        ...(def.catchall?._zod.def.type === 'never' ? [] : [`${path}: an object that is not strict`]),
        ...Object.entries(def.shape ?? {}).flatMap(([key, value]) => violations(value, `${path}.${key}`)),
      ];
    case 'array': {
      const max = maxOf(s);
      return [...(max !== undefined && max <= LONGEST_ARRAY ? [] : [`${path}: an array without a bound`]), ...violations(def.element as Schema, `${path}[]`)];
    }
    case 'string': {
      const max = maxOf(s);
      return max !== undefined && max <= LONGEST_STRING ? [] : [`${path}: a string without a bound (max ${String(max)})`];
    }
    case 'union':
      return (def.options ?? []).flatMap((option, i) => violations(option, `${path}|${i}`));
    case 'enum':
    case 'literal':
    case 'boolean':
    case 'number':
      return [];
    default:
      return [`${path}: a ${def.type}, which this walk does not know to be bounded`];
  }
}

/** A value of another type than the field's own. */
function wrongTypeFor(field: Schema): unknown[] {
  const type = core(field)._zod.def.type;
  if (type === 'string' || type === 'enum' || type === 'literal') return [42, ['x'], { x: 'x' }, true];
  if (type === 'number') return ['1', [1], { n: 1 }, true, Number.NaN, Number.POSITIVE_INFINITY];
  if (type === 'boolean') return ['true', 1, [true], { b: true }];
  if (type === 'array') return ['x', 1, { 0: 'x' }, true];
  if (type === 'object') return ['x', 1, ['x'], true];
  return [Symbol('x')];
}

/** A value just past the field's bound (a string of max+1 characters, an array of max+1 elements), if it has one. */
function pastBound(field: Schema): unknown {
  const s = core(field);
  const max = maxOf(s);
  if (max === undefined) return undefined;
  if (s._zod.def.type === 'string') return 'a'.repeat(max + 1);
  if (s._zod.def.type === 'array') return Array.from({ length: max + 1 }, () => 'a');
  return undefined;
}

const requestOf = (method: (typeof IPC_METHODS)[number]): z.ZodType => IPC_CHANNELS[method].request;
const asSchema = (schema: z.ZodType): Schema => schema;
const fieldsOf = (method: (typeof IPC_METHODS)[number]): Array<[string, Schema]> => Object.entries(core(asSchema(requestOf(method)))._zod.def.shape ?? {});

function issuesOf(schema: z.ZodType, value: unknown): Array<{ code: string; path: PropertyKey[]; keys?: string[] }> {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues;
}

describe('every IPC request schema, walked', () => {
  it('is a strict object all the way down, with every string and array bounded', () => {
    expect(IPC_METHODS.length).toBeGreaterThan(20);
    const found = IPC_METHODS.flatMap((method) => violations(asSchema(requestOf(method)), method));
    expect(found).toEqual([]);
  });

  it.each(IPC_METHODS.map((m) => [m]))('%s: refuses what is not an object', (method) => {
    for (const value of [null, undefined, 'x', 42, [], [{}], true])
      expect(requestOf(method).safeParse(value).success, JSON.stringify(value) ?? 'undefined').toBe(false);
  });

  it.each(IPC_METHODS.map((m) => [m]))('%s: refuses an unknown key by name (__proto__ and constructor too)', (method) => {
    for (const [key, value] of [
      ['extra', 1],
      ['__proto__', { polluted: true }],
      ['constructor', { prototype: { polluted: true } }],
    ] as const) {
      // JSON.parse makes "__proto__" an own key, as the structured clone of an IPC message does.
      const request = JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value)}}`) as unknown;
      const unrecognized = issuesOf(requestOf(method), request).find((issue) => issue.code === 'unrecognized_keys');
      expect(unrecognized?.keys, `${method} given ${key}`).toEqual([key]);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each(IPC_METHODS.filter((m) => fieldsOf(m).length > 0).map((m) => [m]))('%s: refuses another type, and a value past its bound, at each key', (method) => {
    const schema = requestOf(method);
    for (const [key, field] of fieldsOf(method)) {
      for (const wrong of wrongTypeFor(field)) {
        const at = issuesOf(schema, { [key]: wrong }).filter((issue) => issue.path[0] === key);
        expect(at.length, `${method}.${key} given ${String(wrong)}`).toBeGreaterThan(0);
      }
      const past = pastBound(field);
      if (past !== undefined) {
        const at = issuesOf(schema, { [key]: past }).filter((issue) => issue.path[0] === key);
        expect(
          at.map((issue) => issue.code),
          `${method}.${key} one past its bound`,
        ).toContain('too_big');
      }
    }
  });
});

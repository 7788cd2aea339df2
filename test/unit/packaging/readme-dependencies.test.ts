/**
 * The brief asks the README to say what each dependency is for: every package in package.json's
 * dependencies and devDependencies must have a row in its "Dependencies and what each is for"
 * table, with the kind package.json gives it, and every package the table names must still be a
 * dependency (electron through tools/electron-optional), so a removed package leaves no row behind.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const electronOptional = JSON.parse(readFileSync('tools/electron-optional/package.json', 'utf8')) as Manifest;
const readme = readFileSync('README.md', 'utf8');

const heading = '## Dependencies and what each is for';
const start = readme.indexOf(heading);
// The table only: it ends at the next heading (the install-scripts table below names packages too).
const section = readme.slice(start, readme.indexOf('\n#', start + heading.length));
const rows = section
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) => {
    const [names = '', kind = ''] = line.split('|').slice(1, 3);
    return { names: [...names.matchAll(/`([^`]+)`/gu)].map((m) => m[1] ?? ''), kind: kind.trim() };
  });
const named = new Map(rows.flatMap((row) => row.names.map((name) => [name, row.kind] as const)));

/** The kind the table must give a package: where package.json (or the electron wrapper) declares it. */
function kindOf(name: string): string | undefined {
  if (pkg.dependencies?.[name] !== undefined) return 'runtime';
  if (pkg.devDependencies?.[name] !== undefined) return 'dev';
  if (pkg.devDependencies?.['airlock-electron-optional'] !== undefined && electronOptional.optionalDependencies?.[name] !== undefined) return 'dev, optional';
  return undefined;
}

describe('README dependency table', () => {
  it('has the section, and the table in it', () => {
    expect(start).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(20);
  });

  it.each([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].filter((name) => name !== 'airlock-electron-optional'))(
    '%s has a row saying what it is for, with its kind',
    (name) => {
      expect(named.has(name), `a row for ${name}`).toBe(true);
      expect(named.get(name)).toBe(kindOf(name));
    },
  );

  it('names no package that is not a dependency (any more)', () => {
    for (const name of named.keys()) expect(kindOf(name), `${name} is in the table but not in package.json`).toBeDefined();
    expect(named.get('electron')).toBe('dev, optional');
  });
});

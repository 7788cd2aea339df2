/**
 * The man page and the bash and zsh completions are generated from the commander definitions
 * (scripts/build-cli-docs.mjs), so every command and option the CLI parses is in them; the
 * packages install them (electron-builder.yml, build/linux/after-install.sh).
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeProgram } from '../../../electron/cli/cli-docs.js';
import { REPO_ROOT } from '../../helpers/cli-runner.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let dir: string;
let man: string;
let zsh: string;
const program = describeProgram();
const leaves = program.commands.filter((c) => c.subcommands.length === 0);
const groups = program.commands.filter((c) => c.subcommands.length > 0);

function optionNames(o: { short?: string | undefined; long?: string | undefined }): string[] {
  return [o.short, o.long].filter((x): x is string => typeof x === 'string');
}

beforeAll(async () => {
  dir = await makeTemp('airlock-cli-docs-');
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-cli-docs.mjs'), dir], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  man = await readFile(join(dir, 'airlock.1'), 'utf8');
  zsh = await readFile(join(dir, '_airlock'), 'utf8');
}, 60_000);

/** What bash completes for `airlock WORDS...` (the last word is the one being completed). */
function bashComplete(words: readonly string[]): string[] {
  const script = `source ${JSON.stringify(join(dir, 'airlock.bash'))}\nCOMP_WORDS=(${['airlock', ...words].map((w) => `'${w}'`).join(' ')})\nCOMP_CWORD=${words.length}\n_airlock\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
  const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: dir });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter((l) => l !== '');
}

describe('the generated man page', () => {
  it('has a section for every command, with every one of its options, and every global option', () => {
    expect(leaves.length).toBeGreaterThanOrEqual(20);
    const roffed = (text: string): string => text.replace(/-/gu, '\\-');
    for (const command of leaves) {
      const start = man.indexOf(`.SS "airlock ${roffed(command.path)}`);
      expect(start, command.path).toBeGreaterThan(0);
      const end = man.indexOf('.SS', start + 1);
      const section = man.slice(start, end < 0 ? undefined : end);
      for (const option of command.options) expect(section, `${command.path} ${option.flags}`).toContain(`.B ${roffed(option.flags)}`);
    }
    for (const option of program.globals) expect(man).toContain(`.B ${roffed(option.flags)}`);
    expect(man).toContain('.SH EXIT STATUS');
  });

  it('formats without a warning from groff', () => {
    const run = spawnSync('groff', ['-man', '-ww', '-z', join(dir, 'airlock.1')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('the generated bash completion', () => {
  it('completes the commands, every group’s subcommands, and every command’s options and the global ones', () => {
    expect(bashComplete([''])).toEqual(expect.arrayContaining([...program.commands.filter((c) => !c.path.includes(' ')).map((c) => c.path), 'help']));
    for (const group of groups) expect(bashComplete([...group.path.split(' '), '']).sort(), group.path).toEqual([...group.subcommands].sort());
    const globals = program.globals.flatMap(optionNames);
    for (const command of leaves) {
      const offered = bashComplete([...command.path.split(' '), '-']);
      expect(offered, command.path).toEqual(expect.arrayContaining([...command.options.flatMap(optionNames), ...globals]));
    }
  });

  it('finds the command past global options and their values, and completes option values', () => {
    expect(bashComplete(['--home', '/tmp', 'keys', 'tr'])).toEqual(['trust']);
    expect(bashComplete(['audit', 'export', '--format', ''])).toEqual(['csv', 'json']);
  });
});

describe('the generated zsh completion', () => {
  it('parses, and names every command and option', () => {
    const syntax = spawnSync('zsh', ['-n', join(dir, '_airlock')], { encoding: 'utf8' });
    expect(syntax.error, 'zsh is needed for this check (apt-get install zsh)').toBeUndefined();
    expect(syntax.status, syntax.stderr).toBe(0);
    for (const command of program.commands) {
      expect(zsh, command.path).toContain(`"${command.path}"`);
      for (const option of command.options) for (const name of optionNames(option)) expect(zsh, `${command.path} ${name}`).toContain(`'${name}:`);
    }
  });
});

/** Running the real command-line tools the format promises interoperability with (GNU tar, sha256sum, gpg). */
import { spawnSync } from 'node:child_process';

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
}

/** Run a program (no shell) in the C locale, so messages such as "Good signature" are in English. */
export function tool(command: string, args: readonly string[], options: ToolOptions = {}): ToolResult {
  const result = spawnSync(command, [...args], {
    cwd: options.cwd,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C', LANGUAGE: 'C', ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like tool(), but a non-zero exit fails the test with everything the program said. */
export function mustRun(command: string, args: readonly string[], options: ToolOptions = {}): ToolResult {
  const result = tool(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return result;
}

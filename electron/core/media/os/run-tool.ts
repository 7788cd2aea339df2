/** Running the OS tools media work needs (lsblk, diskutil, PowerShell, dd, udisksctl): no shell, bounded time and output. */
import { execFile } from 'node:child_process';
import { errnoOf } from '../../errors.js';

export interface ToolOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** runTool's shape, so discovery can be handed recorded output in tests (diskutil and PowerShell cannot run here). */
export type ToolRunner = (file: string, args: readonly string[]) => Promise<ToolOutput>;

/** Runs `file args...`; resolves with the exit code instead of throwing; rejects only when the program cannot start (ENOENT). */
export function runTool(file: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { timeout: options.timeoutMs ?? 15_000, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LANG: 'C', ...options.env } },
      (error, stdout, stderr) => {
        if (errnoOf(error) === 'ENOENT') {
          reject(error);
          return;
        }
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** True when `file` can be started (it is on the PATH). */
export async function haveTool(file: string, probeArgs: readonly string[] = ['--version']): Promise<boolean> {
  try {
    await runTool(file, probeArgs, { timeoutMs: 5_000 });
    return true;
  } catch {
    return false;
  }
}

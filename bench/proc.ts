/**
 * Child processes for the bench. Every child is tracked so that Ctrl-C or a failure can stop
 * whatever is running *before* the temp dir is removed (removing it under a running tar or
 * airlock would only produce confusing errors and leave half-written files behind).
 * Each child leads its own process group and is stopped as a group: /usr/bin/time does not pass
 * signals on to the command it times, and bash -c pipelines have grandchildren of their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A program and its arguments (never a shell string), and where to run it. */
export interface Command {
  argv: [string, ...string[]];
  cwd?: string | undefined;
}

export interface RunOptions {
  /** Written to the child's stdin, then closed; stdin is /dev/null otherwise. */
  input?: string | undefined;
  /** Sees each piece of stderr as it arrives (bench/progress-stall.ts times the progress line by it). */
  onStderr?: ((chunk: Buffer) => void) | undefined;
}

const live = new Set<ChildProcess>();

/** Output kept per stream: enough for error messages and --json results, bounded so a chatty tool cannot balloon the bench's own memory. */
const MAX_CAPTURE = 4 * 1024 * 1024;

export function run(command: Command, options: RunOptions = {}): Promise<RunResult> {
  return start(command, options).exited;
}

/** A child that runs until stopped (a registry the bench pushes to); stopAll() stops it too. */
export interface Service {
  exited: Promise<RunResult>;
  /** Stops its process group and waits for it; a no-op once it has exited. */
  stop(): Promise<RunResult>;
}

export function startService(command: Command): Service {
  const { child, exited } = start(command, {});
  return {
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
      }
      return exited;
    },
  };
}

function start(command: Command, options: RunOptions): { child: ChildProcess; exited: Promise<RunResult> } {
  const [file, ...args] = command.argv;
  const child = spawn(file, args, {
    cwd: command.cwd,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child);
  const exited = new Promise<RunResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const collect = (sink: Buffer[]) => {
      let size = 0;
      return (chunk: Buffer) => {
        if (size < MAX_CAPTURE) sink.push(chunk);
        size += chunk.length;
      };
    };
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    if (options.onStderr) child.stderr?.on('data', options.onStderr);
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', (error) => {
      live.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  return { child, exited };
}

/** Runs a command that must succeed; its stderr becomes the error message otherwise. */
export async function runChecked(command: Command, options: RunOptions = {}): Promise<RunResult> {
  const result = await run(command, options);
  if (result.code !== 0) throw new Error(`${command.argv.join(' ')} failed (${exitStatus(result)}):\n${result.stderr.trim().slice(-4000)}`);
  return result;
}

export function exitStatus(result: RunResult): string {
  return result.signal ? `signal ${result.signal}` : `exit code ${String(result.code)}`;
}

/** Stops every running child and waits until they are gone. */
export async function stopAll(): Promise<void> {
  const exits = [...live].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        } catch {
          child.kill('SIGTERM'); // the group is already gone; make sure the leader is too
        }
      }),
  );
  await Promise.all(exits);
}

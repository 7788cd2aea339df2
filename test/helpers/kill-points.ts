/**
 * kill -9 a CLI child at a point the test observes (a file appearing, a folder filling), not
 * after a timer: on a loaded machine a timer lands anywhere, and a run may even finish first.
 * Whether the kill landed is read from how the child ended (by SIGKILL, or by exiting on its
 * own), so a run that finished before its kill is known as such and run again, never counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  child: ChildProcess;
  /** How it ended: killed by SIGKILL, or an exit code (it finished on its own). */
  ended: Promise<{ killed: boolean; code: number | null }>;
}

export function startChild(argv: readonly string[]): Child {
  const child = spawn(process.execPath, argv, { stdio: 'ignore' });
  const ended = new Promise<{ killed: boolean; code: number | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ killed: signal === 'SIGKILL', code })),
  );
  return { child, ended };
}

/**
 * Polls `reached` every 2 ms; kills the child the moment it holds. 'killed' when the kill landed,
 * 'finished' when the child ended on its own first (before the point, or in the instant between
 * the observation and the kill).
 */
export async function killWhen(run: Child, reached: () => Promise<boolean>): Promise<'killed' | 'finished'> {
  let over = false;
  void run.ended.then(() => (over = true));
  while (!over) {
    if (await reached()) {
      run.child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return (await run.ended).killed ? 'killed' : 'finished';
}

/**
 * Runs `attempt` until its kill lands (at most `tries` times); each run that finished first is
 * cleaned by `undo` before the next. Throws if no kill landed: the test must not pass without one.
 */
export async function untilKilled(tries: number, attempt: () => Promise<'killed' | 'finished'>, undo: () => Promise<void>): Promise<number> {
  for (let n = 1; n <= tries; n += 1) {
    if ((await attempt()) === 'killed') return n;
    await undo();
  }
  throw new Error(`the child finished before its kill point ${tries} times in a row`);
}

import { AirlockError, Station, toAirlockError } from '../core/index.js';
import { exitCodeForError, type ExitCode } from '../../shared/exit-codes.js';
import type { CliIo } from './io.js';
import { renderError } from './render.js';

export interface GlobalOptions {
  home?: string;
  operator?: string;
}

/**
 * What every command needs: the station for the global options, and one place that turns
 * any failure into a coded message and an exit code (plus JSON when --json was asked for).
 */
export interface CommandContext {
  io: CliIo;
  exitCode: ExitCode | number;
  run(action: (station: Station, io: CliIo) => Promise<number>): Promise<void>;
}

export function createContext(io: CliIo, globals: () => GlobalOptions, wantsJson: () => boolean): CommandContext {
  const ctx: CommandContext = {
    io,
    exitCode: 0,
    async run(action) {
      let station: Station | null = null;
      try {
        const g = globals();
        // An empty --home (an unset shell variable) would silently fall back to the default home.
        if (g.home !== undefined && g.home.trim() === '') throw new AirlockError('USAGE', '--home needs a folder; it was given an empty value. Leave --home out to use $AIRLOCK_HOME or the default home.');
        station = await Station.open({ ...(g.home ? { home: g.home } : {}), ...(g.operator ? { operator: g.operator } : {}) });
        ctx.exitCode = await action(station, io);
      } catch (thrown) {
        const error = thrown instanceof AirlockError ? thrown : toAirlockError(thrown);
        if (wantsJson()) io.stdout.write(`${JSON.stringify({ ok: false, error: error.toInfo() })}\n`);
        io.stderr.write(renderError(error));
        if (error.code === 'INTERNAL' && io.env.AIRLOCK_DEBUG) io.stderr.write(`${String((thrown as Error).stack)}\n`);
        ctx.exitCode = exitCodeForError(error.code);
      } finally {
        station?.close();
      }
    },
  };
  return ctx;
}

/**
 * A diagnostic trace of what the forwarder does on the wire and with its cursor (connections
 * opened and closed, seqs written, round trips, cursor moves), one line per step, appended to the
 * file named by AIRLOCK_FORWARD_TRACE. Off (one check per call) when the variable is unset. For
 * fault tests and field diagnosis of at-least-once questions (docs/siem.md); never written by default.
 */
import { appendFileSync } from 'node:fs';

const tracePath = process.env['AIRLOCK_FORWARD_TRACE'];

export const tracing = tracePath !== undefined && tracePath !== '';

export function trace(line: string): void {
  if (!tracing || tracePath === undefined) return;
  try {
    appendFileSync(tracePath, `${new Date().toISOString()} ${process.pid} ${line}\n`);
  } catch {
    // A trace that cannot be written must never fail delivery.
  }
}

/** Audit forwarding on the facade (issue #17.3, docs/siem.md): status, deliver now, run until stopped. */
import type { ForwardStatus } from '../../../shared/forward.js';
import { deliverNow, forwardStatusOf, startForwarder, type DeliverNowResult, type ForwarderOptions } from '../forward/index.js';
import { readStationConfig } from '../home/station-config.js';
import type { StationContext } from './context.js';

export type ForwardRunOptions = Pick<ForwarderOptions, 'signal' | 'onChange' | 'onWaitingForLease'>;

export async function forwardStatus(context: StationContext): Promise<ForwardStatus> {
  const config = await readStationConfig(context.paths);
  return forwardStatusOf(context.readDatabase(), config.forward);
}

export function forwardNow(context: StationContext, options: ForwardRunOptions): Promise<DeliverNowResult> {
  return deliverNow(context, options);
}

export function runForwarder(context: StationContext, options: ForwardRunOptions): Promise<void> {
  return startForwarder(context, options);
}

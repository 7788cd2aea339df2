import type { AuditEvent, AuditEventInput, AuditEventType } from '../audit/audit-event.js';
import { appendAuditEvent } from '../audit/audit-store.js';
import { AirlockError, toAirlockError } from '../errors.js';
import { homeStorageFailure } from '../home/home-storage.js';
import type { StationContext } from './context.js';

/**
 * Every operation that changes or moves something leaves an audit event: its success, its
 * rejection, its failure (with the error's code) or its cancellation. runAudited() is the one
 * place that writes that pattern, and the only module under station/ that appends to the log
 * (StationContext has no append; test/unit/core/station/audited-operation.test.ts checks that
 * no other station module imports appendAuditEvent). An operation is declared, not written
 * as try/catch:
 *
 * - `failureDetails` is required: a throw from `run` is recorded as `failed` (or `cancelled`
 *   for CANCELLED) with the error's code and message, then rethrown as an AirlockError. The
 *   few operations that record no failure say `'not recorded'` in so many words.
 * - `succeeded` is required: it builds the success (or rejection) event from the result, and is
 *   recorded after `run` returns, outside the failure path (an audit log that cannot take the
 *   event is reported as such, not as a failed operation). `null` records nothing, explicitly.
 *
 * So a new operation that forgets its audit event does not compile. Crash consistency lives
 * here too: `alongside` (success) and `during.onFailure` (failure) commit in one transaction
 * with the event (an export intent and its event change together), and work that settles in its
 * own transaction (an import's claim) records its outcome there with `during.outcomeNow` /
 * `during.failureNow`, after which the helper records no second event.
 */
export interface AuditedOperation<T, E extends SuccessEvent | null = SuccessEvent | null> {
  type: AuditEventType;
  /** The failure event's details (the request as given; the error's message is added), or 'not recorded'. */
  failureDetails: Record<string, unknown> | 'not recorded';
  /** The work. */
  run: (during: DuringOperation) => Promise<T>;
  /**
   * The success (or rejection) event from the result, `null` to record nothing. Called once,
   * unless the work recorded its outcome itself. `also` records another event type first (a
   * media write and its read-back before the export).
   */
  succeeded: (value: T, also: RecordEvent) => E;
}

/** An event of the operation's own type: the operation names the type once. */
export type OutcomeEvent = Omit<AuditEventInput, 'type'>;

export interface SuccessEvent extends OutcomeEvent {
  /** Committed in one transaction with the event (an export intent settled 'exported'). */
  alongside?: (() => void) | undefined;
}

export type RecordEvent = (input: AuditEventInput) => AuditEvent;

/** What the work may do with the log while it runs. */
export interface DuringOperation {
  /** Commit `step` in the same transaction as the failure event, if the operation fails (an export intent settled 'failed'). */
  onFailure(step: () => void): void;
  /** Record another event type along the way (a media write that failed, before the export's failure). */
  also: RecordEvent;
  /**
   * Record the outcome now, inside a transaction the work owns (an import's settlement): the helper records none after.
   * `type`: an outcome of another type than the operation's (an import that received a heartbeat records `heartbeat`).
   */
  outcomeNow(event: OutcomeEvent, type?: AuditEventType): AuditEvent;
  /** Record the failure now, inside a transaction the work owns: the helper rethrows this failure and records none after. */
  failureNow(error: unknown): AirlockError;
}

export interface Audited<T, E extends AuditEvent | null = AuditEvent | null> {
  value: T;
  /** The success event; null only when `succeeded` may record nothing. */
  event: E;
}

export function runAudited<T>(context: StationContext, operation: AuditedOperation<T, SuccessEvent>): Promise<Audited<T, AuditEvent>>;
export function runAudited<T>(context: StationContext, operation: AuditedOperation<T>): Promise<Audited<T>>;
export async function runAudited<T>(context: StationContext, operation: AuditedOperation<T>): Promise<Audited<T>> {
  const failureSteps: Array<() => void> = [];
  const recordedNow: { event: AuditEvent | null; failure: AirlockError | null } = { event: null, failure: null };
  const also: RecordEvent = (input) => recordEvent(context, input);
  const during: DuringOperation = {
    onFailure: (step) => {
      failureSteps.push(step);
    },
    also,
    outcomeNow: (event, type) => {
      recordedNow.event = recordEvent(context, { ...event, type: type ?? operation.type });
      return recordedNow.event;
    },
    failureNow: (error) => {
      recordedNow.failure = recordFailure(context, operation.type, operation.failureDetails, error, []);
      return recordedNow.failure;
    },
  };
  let value: T;
  try {
    value = await operation.run(during);
  } catch (error) {
    if (recordedNow.failure !== null) throw recordedNow.failure;
    if (operation.failureDetails === 'not recorded') throw error;
    throw recordFailure(context, operation.type, operation.failureDetails, error, failureSteps);
  }
  if (recordedNow.event !== null) return { value, event: recordedNow.event };
  const success = operation.succeeded(value, also);
  if (success === null) return { value, event: null };
  const { alongside, ...event } = success;
  const input: AuditEventInput = { ...event, type: operation.type };
  return { value, event: alongside === undefined ? recordEvent(context, input) : inTransaction(context, alongside, () => recordEvent(context, input)) };
}

/** Every operation leaves an event; if the log cannot take it, the operator must know. */
function recordEvent(context: StationContext, input: AuditEventInput): AuditEvent {
  try {
    return appendAuditEvent(context.database(), context.identity, input);
  } catch (error) {
    throw (
      homeStorageFailure(error, context.paths.root, 'The operation itself may have completed: check before repeating it.') ??
      new AirlockError('AUDIT_UNAVAILABLE', error instanceof Error ? error.message : String(error), { cause: error })
    );
  }
}

/** The failure as an AirlockError, recorded (with `steps` in the same transaction when there are any). */
function recordFailure(
  context: StationContext,
  type: AuditEventType,
  details: Record<string, unknown> | 'not recorded',
  error: unknown,
  steps: ReadonlyArray<() => void>,
): AirlockError {
  const failure = toAirlockError(error);
  if (details === 'not recorded') return failure;
  const input: AuditEventInput = {
    type,
    outcome: failure.code === 'CANCELLED' ? 'cancelled' : 'failed',
    errorCode: failure.code,
    details: { ...details, message: failure.message },
  };
  if (steps.length === 0) recordEvent(context, input);
  else
    inTransaction(
      context,
      () => steps.forEach((step) => step()),
      () => recordEvent(context, input),
    );
  return failure;
}

/** `step` and the event commit together: a crash before the commit leaves neither (recovery settles the intent at the next start). */
function inTransaction(context: StationContext, step: () => void, record: () => AuditEvent): AuditEvent {
  const db = context.database();
  return db
    .transaction(() => {
      step();
      return record();
    })
    .immediate();
}

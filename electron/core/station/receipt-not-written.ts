import { AirlockError, toAirlockError } from '../errors.js';

/**
 * The failure of a receipts phase after the transfer is committed and recorded (import in place,
 * export published): RECEIPT_NOT_WRITTEN, never the cause's own code, which may read "not enough
 * space, try again" and make the operator repeat a transfer that happened (fault harness,
 * full-disk scenarios). `done` says what is complete and where, e.g. "The import is in place at X".
 */
export function receiptNotWritten(done: string, auditSeq: number, receiptDir: string): (error: unknown) => never {
  return (error) => {
    const cause = toAirlockError(error);
    throw new AirlockError('RECEIPT_NOT_WRITTEN', `${done} (audit event #${auditSeq}); writing its receipt failed: ${cause.message}`, {
      path: receiptDir,
      cause,
    });
  };
}

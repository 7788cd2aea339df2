/**
 * RFC 5425 §4.3 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes of the UTF-8
 * message. The receiver reads exactly that many bytes, so nothing inside a message (a newline in a
 * name, a digit run, a stray frame) can end it early or start another: the framing bugs of
 * newline-delimited syslog (fluent-bit#10910, vector#2690) cannot happen here.
 */

/** One message framed for the wire. */
export function frameOctetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** Many messages framed as one buffer (one allocation per batch, not per message). */
export function frameAllOctetCounted(messages: readonly string[]): Buffer {
  // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair: 2 units, 4 bytes), plus a
  // length of at most 10 digits and its space: an upper bound, so the buffer never grows.
  let bound = 0;
  for (const message of messages) bound += message.length * 3 + 11;
  const out = bound <= SCRATCH_BYTES ? scratch : Buffer.allocUnsafe(bound);
  let offset = 0;
  for (const message of messages) {
    // Encode the message once, straight into place after a guessed length (its UTF-16 length, a
    // lower bound of its UTF-8 length); move it when the real length needs more digits. This
    // saves a byteLength pass and an intermediate string per message.
    const guessDigits = decimalDigits(message.length);
    const bytes = out.write(message, offset + guessDigits + 1, 'utf8');
    const digits = decimalDigits(bytes);
    if (digits !== guessDigits) out.copyWithin(offset + digits + 1, offset + guessDigits + 1, offset + guessDigits + 1 + bytes);
    offset += out.write(`${bytes} `, offset, 'latin1');
    offset += bytes;
  }
  // A copy of the used part (the scratch is reused by the next batch while this one is still queued).
  return Buffer.from(out.subarray(0, offset));
}

/**
 * One scratch buffer for every batch up to this bound, reused: a fresh one per batch is external
 * memory the garbage collector counts, and at tens of thousands of events a second it ran full
 * collections for it. Batches are framed synchronously, so one buffer serves them all.
 */
const SCRATCH_BYTES = 1024 * 1024;
const scratch = Buffer.allocUnsafeSlow(SCRATCH_BYTES);

function decimalDigits(value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
  return digits;
}

/**
 * Split a byte stream of octet-counted frames (the receiver's side, for tests and diagnostics):
 * the complete messages and what is left over. Throws on a malformed length: a receiver cannot
 * resynchronise from one, and neither should we pretend to.
 */
export function parseOctetCounted(bytes: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const space = bytes.indexOf(0x20, offset);
    if (space < 0) {
      if (bytes.length - offset > 10 || !/^\d*$/u.test(bytes.subarray(offset).toString('latin1'))) throw new Error(`malformed frame length at byte ${offset}`);
      break;
    }
    const digits = bytes.subarray(offset, space).toString('latin1');
    if (!/^[1-9]\d{0,9}$/u.test(digits)) throw new Error(`malformed frame length at byte ${offset}`);
    const length = Number(digits);
    if (space + 1 + length > bytes.length) break;
    messages.push(bytes.subarray(space + 1, space + 1 + length));
    offset = space + 1 + length;
  }
  return { messages, rest: bytes.subarray(offset) };
}

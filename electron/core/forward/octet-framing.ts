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
export function frameAllOctetCounted(messages: Iterable<string>): Buffer {
  let text = '';
  for (const message of messages) text += `${Buffer.byteLength(message, 'utf8')} ${message}`;
  return Buffer.from(text, 'utf8');
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

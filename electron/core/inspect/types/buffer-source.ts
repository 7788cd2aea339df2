/** A ByteSource over bytes already in memory (a small part read out of an Office package, or a test's file). */
import { Readable } from 'node:stream';
import type { ByteSource } from '../contract.js';

export function bufferSource(bytes: Buffer): ByteSource {
  return {
    size: bytes.length,
    read: (position, length) => Promise.resolve(bytes.subarray(Math.min(position, bytes.length), Math.min(position + length, bytes.length))),
    stream: (start = 0, end = bytes.length) => Readable.from([bytes.subarray(Math.min(start, bytes.length), Math.min(end, bytes.length))]),
  };
}

import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeErrno } from '../errno-text.js';
import { AirlockError, errnoOf, toAirlockError } from '../errors.js';
import { openRegular } from '../fs/open-regular.js';
import { isPartSetPath } from '../media/parts/part-set.js';

const HEAD_BYTES = 512;

/**
 * What a file that is certainly not a tar archive is, from its first bytes; null when it may be
 * one (a tar header, a compressed stream, or unknown binary: the pipeline judges those, and a
 * damaged tar stays ARCHIVE_CORRUPT). A tar file's first block always holds NUL bytes (the
 * header's padding and its checksum field), so a first block without any is text.
 */
export function identifyNonBundle(head: Buffer, fileName: string): string | null {
  if (head.length === 0 || hasTarChecksum(head)) return null;
  const starts = (magic: string | number[]): boolean => {
    const bytes = typeof magic === 'string' ? Buffer.from(magic, 'latin1') : Buffer.from(magic);
    return head.length >= bytes.length && head.subarray(0, bytes.length).equals(bytes);
  };
  if (starts('PK\u0003\u0004') || starts('PK\u0005\u0006') || starts('PK\u0007\u0008')) return 'It is a zip archive.';
  if (starts('%PDF-')) {
    return /\.(export|import)-receipt(-\d+)?\.pdf$/u.test(fileName.toLowerCase()) ? 'It is the PDF copy of an Airlock receipt.' : 'It is a PDF document.';
  }
  if (starts('SQLite format 3\u0000')) return 'It is an SQLite database.';
  if (head.includes(0)) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.length === HEAD_BYTES ? trimPartialChar(head) : head);
  } catch {
    return null;
  }
  const lead = text.replace(/^\uFEFF/u, '').trimStart();
  const lower = fileName.toLowerCase();
  if (/\.(export|import)-receipt\.json$/u.test(lower)) return 'It is an Airlock receipt (JSON), written beside a bundle or into the destination.';
  if (/\.(export|import)-receipt\.html$/u.test(lower)) return 'It is the printable copy of an Airlock receipt (HTML).';
  if (lead.startsWith('-----BEGIN PGP')) return 'It is an armored OpenPGP key or signature.';
  if (lead.startsWith('{') || lead.startsWith('[')) return 'It is a JSON text file.';
  if (/^<(!doctype html|html)/iu.test(lead)) return 'It is an HTML document.';
  return 'It is a text file.';
}

/** The first block is a tar header whose checksum field matches its bytes (any tar dialect). */
function hasTarChecksum(head: Buffer): boolean {
  if (head.length < HEAD_BYTES) return false;
  const field = head
    .subarray(148, 156)
    .toString('latin1')
    .replace(/[\0 ]+$/u, '')
    .trim();
  if (!/^[0-7]{1,8}$/u.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < HEAD_BYTES; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (head[i] as number);
  return sum === parseInt(field, 8);
}

/** A UTF-8 character cut at the end of the sample is not a decoding error. */
function trimPartialChar(head: Buffer): Buffer {
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back += 1) {
    const byte = head[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte >= 0xc0) end -= back;
    break;
  }
  return head.subarray(0, end);
}

async function readHead(handle: FileHandle, path: string): Promise<Buffer> {
  const head = Buffer.alloc(HEAD_BYTES);
  try {
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return head.subarray(0, bytesRead);
  } catch (error) {
    throw toAirlockError(error, path);
  }
}

/**
 * Before verify or import reads a bundle: a folder, or a file that is plainly something else (a
 * receipt, a zip, a text file), is named for what it is instead of ARCHIVE_CORRUPT's "re-copy
 * it from the media"; a FIFO, socket or device is NOT_A_FILE, found without blocking on it
 * (fs/open-regular.ts). Parts and volume indexes of split bundles go their own way.
 */
export async function assertBundleFile(path: string): Promise<void> {
  // A part or index may be named although it sits on a medium not inserted yet: the split route finds or asks for it.
  if (isPartSetPath(path)) return;
  let opened;
  try {
    opened = await openRegular(path, () => new AirlockError('BUNDLE_IS_FOLDER', `${path} is a folder.`, { path, data: { folder: path } }));
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') throw new AirlockError('BUNDLE_UNREADABLE', describeErrno('ENOENT', path) ?? undefined, { path, cause: error });
    // Linux opens a folder read-only; a system that refuses (EISDIR) says the same.
    if (errnoOf(error) === 'EISDIR') throw new AirlockError('BUNDLE_IS_FOLDER', `${path} is a folder.`, { path, data: { folder: path } });
    throw toAirlockError(error, path);
  }
  let head: Buffer;
  try {
    head = await readHead(opened.handle, path);
  } finally {
    await opened.handle.close();
  }
  const what = identifyNonBundle(head, basename(path));
  if (what !== null) throw new AirlockError('NOT_A_BUNDLE', `${path}: ${what} A bundle is a NAME.airlock.tar file.`, { path });
}

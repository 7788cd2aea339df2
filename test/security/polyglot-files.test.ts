/**
 * Issue #16.2, polyglots: one file that two programs open as two different things, so that what
 * was inspected is not what is opened (GIFAR, PDF+zip, a JPEG with a zip joined, a zip app behind
 * a #! line, a PDF header hidden in an image's first KiB). Each variant is a TYPE_MISMATCH the
 * default policy refuses, whether the check reads the file (polyglotOf) or sees its tail pass
 * in chunks (polyglotIn + TailWindow, as the import pass does).
 */
import { describe, expect, it } from 'vitest';
import type { TypeDetection } from '../../electron/core/inspect/contract.js';
import { resolveInspectPolicy } from '../../electron/core/policy/inspect-policy.js';
import { bufferSource } from '../../electron/core/inspect/types/buffer-source.js';
import { detectType } from '../../electron/core/inspect/types/detect-type.js';
import { polyglotIn, polyglotOf, TailWindow } from '../../electron/core/inspect/types/polyglot.js';
import { typeFindings } from '../../electron/core/inspect/types/type-findings.js';
import * as corpus from '../helpers/type-corpus.js';

const types = resolveInspectPolicy({})?.types;
if (types === undefined) throw new Error('unreachable: an inspect section was given');

const hidden = corpus.zip([{ name: 'payload.exe', data: corpus.pe() }]);
const CARRIERS: Array<[string, string, Buffer]> = [
  ['PDF', 'report.pdf', corpus.pdf()],
  ['JPEG', 'photo.jpg', corpus.jpeg()],
  ['PNG', 'scan.png', corpus.png()],
  ['GIF (GIFAR)', 'anim.gif', corpus.gif()],
  ['OLE document', 'letter.doc', corpus.ole({ clsid: corpus.WORD_CLSID })],
  ['#! script (a zip app)', 'tool.py', Buffer.from('#!/usr/bin/env python3\n')],
  ['gzip', 'logs.gz', corpus.gzip()],
  ['plain text', 'notes.txt', Buffer.from('nothing to see here\n')],
];
/** How the zip is joined: straight after, with its offsets counted from the file's start, with a comment, with bytes after it. */
const JOINS: Array<[string, (carrier: Buffer) => Buffer]> = [
  ['appended', (c) => Buffer.concat([c, hidden])],
  ['offsets from the file start', (c) => corpus.zip([{ name: 'payload.exe', data: corpus.pe() }], { before: c })],
  ['with a long comment', (c) => Buffer.concat([c, corpus.zip([{ name: 'payload.exe', data: corpus.pe() }], { comment: 'c'.repeat(30_000) })])],
  ['with bytes after it', (c) => Buffer.concat([c, hidden, Buffer.from('\n%%EOF\n')])],
  ['after 300 KiB of the carrier', (c) => Buffer.concat([c, corpus.noise(300_000), hidden])],
];

async function refusedBothWays(bytes: Buffer, name: string): Promise<[boolean, boolean]> {
  const detection: TypeDetection = await detectType(bytes.subarray(0, 4100), name);
  const whole = await polyglotOf(bufferSource(bytes), detection);
  const window = new TailWindow();
  for (let at = 0; at < bytes.length; at += 65_536) window.push(bytes.subarray(at, at + 65_536));
  const streamed = polyglotIn(bytes.subarray(0, 1024), window.bytes(), bytes.length, detection);
  const refused = (polyglot: string | null): boolean =>
    typeFindings(detection, null, types as NonNullable<typeof types>, { polyglot }).some((f) => f.code === 'TYPE_MISMATCH' && f.severity === 'refuse');
  return [refused(whole), refused(streamed)];
}

describe('a zip joined to another file is a polyglot', () => {
  for (const [kind, name, carrier] of CARRIERS) {
    it(`${kind}, joined every way`, async () => {
      for (const [, join] of JOINS) expect(await refusedBothWays(join(carrier), name)).toEqual([true, true]);
    });
  }
});

describe('a PDF header in the first KiB of another binary type is a polyglot', () => {
  it.each([
    ['photo.jpg', corpus.jpeg()],
    ['scan.png', corpus.png()],
    ['tool.exe', corpus.pe()],
    ['letter.doc', corpus.ole()],
  ])('%s', async (name, carrier) => {
    const bytes = Buffer.concat([carrier.subarray(0, 200), Buffer.from('\n%PDF-1.4\n'), carrier.subarray(200), corpus.pdf()]);
    expect(await refusedBothWays(bytes, name)).toEqual([true, true]);
  });
});

describe('ordinary files are not polyglots', () => {
  it.each([
    ['a.zip', hidden],
    ['a.docm', corpus.ooxml({ macros: true })],
    ['a.tar', corpus.tar('inner.zip', hidden)],
    ['a.zip', corpus.zip([{ name: 'stored.pdf', data: corpus.pdf(), deflate: false }])],
    ['a.pdf', corpus.pdf()],
    ['a.jpg', Buffer.concat([corpus.jpeg(), corpus.noise(500_000, 3)])],
    ['a.txt', Buffer.from('See %PDF-1.7 and PK\u0005\u0006 in the spec.\n')],
  ])('%s', async (name, bytes) => {
    expect(await refusedBothWays(bytes, name)).toEqual([false, false]);
  });
});

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectType } from '../../../../../electron/core/inspect/types/detect-type.js';
import * as corpus from '../../../../helpers/type-corpus.js';

describe('detectType: what a file is by its first bytes', () => {
  it.each([
    ['report.pdf', corpus.pdf(), 'application/pdf', 'pdf'],
    ['a.png', corpus.png(), 'image/png', 'png'],
    ['a.jpg', corpus.jpeg(), 'image/jpeg', 'jpg'],
    ['a.gif', corpus.gif(), 'image/gif', 'gif'],
    ['a.zip', corpus.zip([{ name: 'a.txt', data: 'hello' }]), 'application/zip', 'zip'],
    ['a.tar', corpus.tar(), 'application/x-tar', 'tar'],
    ['a.tar.gz', corpus.gzip(), 'application/gzip', 'gz'],
    ['a.7z', corpus.sevenZip(), 'application/x-7z-compressed', '7z'],
  ])('%s is what it says', async (name, bytes, mime, ext) => {
    const d = await detectType(bytes, name);
    expect(d).toMatchObject({ mime, detectedExtension: ext, mismatch: false, executable: false, office: null });
  });

  it('names the archive kinds the walk opens, and 7z as unsupported', async () => {
    expect((await detectType(corpus.zip([{ name: 'a', data: 'b' }]), 'x.zip')).archive).toBe('zip');
    expect((await detectType(corpus.tar(), 'x.tar')).archive).toBe('tar');
    expect((await detectType(corpus.gzip(), 'x.tar.gz')).archive).toBe('gzip');
    expect((await detectType(corpus.sevenZip(), 'x.7z')).archive).toBe('unsupported');
    expect((await detectType(corpus.pdf(), 'x.pdf')).archive).toBeNull();
  });

  it.each([
    ['PE', corpus.pe(), 'exe', 'application/x-msdownload'],
    ['ELF', corpus.elf(), 'elf', 'application/x-elf'],
    ['Mach-O 64', corpus.machO64(), 'macho', 'application/x-mach-binary'],
    ['Mach-O fat', corpus.machOFat(), 'macho', 'application/x-mach-binary'],
    ['Java class', corpus.javaClass(), 'class', 'application/java-vm'],
  ])('recognises a %s program whatever its name', async (_kind, bytes, ext, mime) => {
    for (const name of ['prog', `prog.${ext}`, 'prog.bin']) {
      expect(await detectType(bytes, name)).toMatchObject({ detectedExtension: ext, mime, executable: true });
    }
  });

  it.each([
    ['#!/bin/sh\necho hi\n', 'sh', 'text/x-shellscript'],
    ['#!/usr/bin/env python3\nprint(1)\n', 'py', 'text/x-python'],
    ['#!/usr/bin/env -S node --flag\n', 'js', 'text/javascript'],
    ['\ufeff#!/bin/bash\n', 'sh', 'text/x-shellscript'],
    ['#!/opt/weird/interp\n', 'script', 'text/x-script'],
  ])('recognises a script by its #! line: %j', async (text, ext, mime) => {
    expect(await detectType(Buffer.from(text), 'noext')).toMatchObject({ detectedExtension: ext, mime, script: true, executable: false });
  });

  it.each(['run.ps1', 'a.vbs', 'a.js', 'a.bat', 'a.cmd', 'a.py', 'A.SH', 'x.hta', 'x.wsf'])(
    'flags %s as a script by its name though the content says nothing',
    async (name) => {
      expect(await detectType(Buffer.from('echo hello\n'), name)).toMatchObject({ script: true, mime: null, mismatch: false });
    },
  );

  it('tells OOXML documents apart, with and without macros, and marks both for a look inside', async () => {
    expect(await detectType(corpus.ooxml(), 'a.docx')).toMatchObject({ detectedExtension: 'docx', office: 'ooxml', archive: 'zip', mismatch: false });
    expect(await detectType(corpus.ooxml({ macros: true }), 'a.docm')).toMatchObject({ detectedExtension: 'docm', office: 'ooxml', mismatch: false });
  });

  it('marks an OOXML package as office when file-type only sees a zip (parts past the head)', async () => {
    const late = corpus.ooxml({ contentTypesLast: true, padding: 20_000 });
    const d = await detectType(late.subarray(0, 4100), 'a.docx');
    expect(d).toMatchObject({ detectedExtension: 'zip', office: 'ooxml', mismatch: false });
    // The same bytes called .zip are a zip (no Office name, no part list in the head).
    expect(await detectType(late.subarray(0, 4100), 'a.zip')).toMatchObject({ office: null, mismatch: false });
  });

  it('tells OLE kinds apart by the root class id (doc, xls, msi) and says cfb when it cannot', async () => {
    expect(await detectType(corpus.ole({ clsid: corpus.WORD_CLSID }), 'a.doc')).toMatchObject({
      detectedExtension: 'doc',
      mime: 'application/msword',
      office: 'ole',
    });
    expect(await detectType(corpus.ole({ clsid: corpus.EXCEL_CLSID }), 'a.xls')).toMatchObject({ detectedExtension: 'xls', office: 'ole', mismatch: false });
    expect(await detectType(corpus.ole({ clsid: corpus.MSI_CLSID }), 'setup.msi')).toMatchObject({ detectedExtension: 'msi', executable: true, office: 'ole' });
    expect(await detectType(corpus.ole({ fillerSectors: 20 }), 'a.doc')).toMatchObject({ detectedExtension: 'cfb', office: 'ole', mismatch: false });
  });

  it('says nothing of empty, one-byte and plain text files (undetected, not a mismatch)', async () => {
    for (const [bytes, name] of [
      [Buffer.alloc(0), 'empty.pdf'],
      [Buffer.from('A'), 'one.png'],
      [Buffer.from('just words\n'), 'notes.txt'],
    ] as const) {
      expect(await detectType(bytes, name)).toMatchObject({
        mime: null,
        detectedExtension: null,
        mismatch: false,
        executable: false,
        archive: null,
        office: null,
      });
    }
  });

  it.each([
    ['invoice.pdf', corpus.pe()],
    ['photo.jpg', corpus.elf()],
    ['readme.txt', corpus.zip([{ name: 'a', data: 'b' }])],
    ['data.csv', corpus.pe()],
    ['notes.md', corpus.pdf()],
    ['letter.docx', corpus.ole({ clsid: corpus.WORD_CLSID })],
    ['letter.doc', corpus.ole({ clsid: corpus.MSI_CLSID })],
    ['table.xlsx', corpus.pdf()],
    ['script.sh', corpus.elf()],
    ['tool.exe', corpus.elf()],
    ['archive.zip', corpus.gzip()],
    ['image.png', Buffer.from('#!/bin/sh\nrm -rf /\n')],
  ])('calls %s holding other content a mismatch', async (name, bytes) => {
    expect((await detectType(bytes, name)).mismatch).toBe(true);
  });

  it.each([
    ['unknown.xyz', corpus.pe()],
    ['noextension', corpus.pdf()],
    ['feed.xml', Buffer.from('<?xml version="1.0"?><a/>')],
    ['run.sh', Buffer.from('#!/bin/sh\n')],
    ['lib.dll', corpus.pe()],
    ['a.jpeg', corpus.jpeg()],
    ['a.PDF', corpus.pdf()],
    ['backup.tgz', corpus.gzip()],
  ])('does not call %s a mismatch', async (name, bytes) => {
    expect((await detectType(bytes, name)).mismatch).toBe(false);
  });

  it('takes a gzip of a tar (file-type says tar.gz) under every gzip name, and not under a text name', async () => {
    const tgz = gzipSync(corpus.tar('a.txt', Buffer.from('hi')));
    for (const name of ['a.tar.gz', 'a.tgz', 'a.gz']) expect((await detectType(tgz, name)).mismatch, name).toBe(false);
    expect((await detectType(tgz, 'a.txt')).mismatch).toBe(true);
    expect((await detectType(tgz, 'a.tar')).mismatch).toBe(true);
  });

  it('reads the extension as a desktop would: last segment, trailing dots and spaces dropped, tar.gz whole', async () => {
    expect((await detectType(corpus.pe(), 'data/dir.pdf/invoice.exe. . ')).extension).toBe('exe');
    expect((await detectType(corpus.gzip(), 'data/x.TAR.GZ')).extension).toBe('tar.gz');
    expect((await detectType(corpus.pdf(), 'data/.hidden')).extension).toBeNull();
    expect((await detectType(corpus.pdf(), 'data/report.pdf\u202etxt.exe')).extension).toBe('exe');
  });
});

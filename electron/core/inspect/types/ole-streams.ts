/**
 * Macros and encryption recorded inside OLE document streams rather than as VBA storages
 * (issue #16.2): Excel 4.0 (XLM) macro sheets and Excel 5 module sheets, listed as BOUNDSHEET
 * records in a workbook's globals (MS-XLS 2.4.28), and password encryption (FILEPASS in Excel,
 * fEncrypted/fObfuscated in Word's FIB, MS-DOC 2.5.2). Malware has long hidden in XLM sheets.
 */
import type { MacroScan } from './office-macros.js';

const BOF = 0x0809;
const EOF = 0x000a;
const FILEPASS = 0x002f;
const BOUNDSHEET = 0x0085;
const SHEET_KINDS: Readonly<Record<number, string>> = { 1: 'an Excel 4.0 macro sheet', 6: 'an Excel 5 VBA module sheet' };

/**
 * What the workbook globals (the head of the Workbook stream, `streamSize` bytes in all) say of
 * macro sheets. The globals must run from a BOF record to their EOF record; a stream that breaks
 * off, or globals longer than the head read, is unreadable (not clean).
 */
export function excelSheetMacros(head: Buffer, streamSize: number): MacroScan {
  for (let at = 0; at + 4 <= head.length;) {
    const type = head.readUInt16LE(at);
    const length = head.readUInt16LE(at + 2);
    const data = at + 4;
    if (at === 0 && type !== BOF) return { kind: 'unreadable', encrypted: false, detail: 'the Workbook stream does not begin with a BOF record' };
    if (data + length > head.length) break;
    if (type === FILEPASS) return { kind: 'unreadable', encrypted: true, detail: 'an Excel workbook encrypted with a password' };
    if (type === BOUNDSHEET && length >= 6) {
      const kind = SHEET_KINDS[head[data + 5] ?? 0];
      if (kind !== undefined) return { kind: 'found', detail: kind };
    }
    if (type === EOF) return { kind: 'none' };
    at = data + length;
  }
  const whole = head.length >= streamSize;
  return {
    kind: 'unreadable',
    encrypted: false,
    detail: whole ? 'the Workbook globals end without an EOF record' : `the Workbook globals run past ${head.length} bytes`,
  };
}

/** Word's FIB flags: fEncrypted (0x0100) or fObfuscated (0x8000) in a Word 97+ document (wIdent 0xA5EC). */
export function wordEncrypted(fib: Buffer): boolean {
  if (fib.length < 12 || fib.readUInt16LE(0) !== 0xa5ec) return false;
  return (fib.readUInt16LE(0x0a) & 0x8100) !== 0;
}

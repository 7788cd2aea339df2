/** The poppler and qpdf checks the PDF receipt tests share (Debian qpdf, poppler-utils; .ci/run installs them). */
import { spawnSync } from 'node:child_process';
import { mustRun, tool } from '../../helpers/tools.js';

/** `qpdf --show-attachment=KEY FILE`, as bytes. */
export function attachment(pdf: string, key: string): Buffer {
  const result = spawnSync('qpdf', [`--show-attachment=${key}`, pdf], { maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`qpdf --show-attachment=${key} ${pdf}: ${result.stderr.toString()}`);
  return result.stdout;
}

export function attachmentKeys(pdf: string): string[] {
  return mustRun('qpdf', ['--list-attachments', pdf])
    .stdout.split('\n')
    .map((line) => /^(.+?) -> \d+,\d+$/u.exec(line)?.[1])
    .filter((key): key is string => key !== undefined);
}

/** pdffonts' rows: name, and whether embedded. */
export function fonts(pdf: string): Array<{ name: string; embedded: boolean }> {
  const lines = mustRun('pdffonts', [pdf])
    .stdout.split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '');
  return lines.map((line) => {
    const cols = line.trim().split(/\s+/u);
    // name type... encoding emb sub uni object ID: emb is the 5th from the end.
    return { name: cols[0] ?? '', embedded: cols[cols.length - 5] === 'yes' };
  });
}

export function pages(pdf: string): number {
  return Number(mustRun('qpdf', ['--show-npages', pdf]).stdout.trim());
}

export function text(pdf: string, first?: number, last?: number): string {
  const range = first === undefined ? [] : ['-f', String(first), '-l', String(last ?? first)];
  return mustRun('pdftotext', [...range, '-layout', pdf, '-']).stdout;
}

export function qpdfCheck(pdf: string): { status: number; output: string } {
  const result = tool('qpdf', ['--check', pdf]);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

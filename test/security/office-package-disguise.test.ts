/**
 * Issue #16.2/#16.3, Office packages used as a disguise: an OOXML or OpenDocument file is a zip,
 * and the station walks it as one. Real documents are built here with Python's zipfile (as
 * python-docx and LibreOffice write them), then hostile variants: a package that smuggles an
 * .exe part its [Content_Types].xml does not declare, a .docm renamed .docx, a plain zip renamed
 * .docx, a document whose part carries the scanner's marker, and the same inside zip and tar.gz
 * archives (nested), plus legacy .doc files with a VBA storage inside archives (the macro check
 * reaches into archive members). Each: the right code, naming the inner path; a clean document
 * passes, also under a policy that allows only .docx by extension and type.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ContentInspector } from '../../electron/core/inspect/content-inspector.js';
import { defaultInspectionParts } from '../../electron/core/inspect/default-parts.js';
import { bufferSource } from '../../electron/core/inspect/byte-sources.js';
import { resolveInspectPolicy, type InspectPolicyFile } from '../../electron/core/policy/inspect-policy.js';
import type { Problem } from '../../shared/problems.js';
import { FakeScanner, MARKER, readyStatus } from '../helpers/fake-inspection.js';
import * as corpus from '../helpers/type-corpus.js';

type Member = { name: string; data: Buffer | string };

/** Python writes the archive: zipfile (deflated) or tarfile (gzip), as real tools do. */
function pack(kind: 'zip' | 'tar.gz', members: Member[]): Buffer {
  const spec = JSON.stringify({ kind, members: members.map((m) => ({ name: m.name, data: Buffer.from(m.data).toString('base64') })) });
  const script = `
import base64, io, json, sys, tarfile, zipfile
spec = json.loads(sys.stdin.read())
out = io.BytesIO()
if spec['kind'] == 'zip':
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for m in spec['members']:
            z.writestr(m['name'], base64.b64decode(m['data']))
else:
    with tarfile.open(fileobj=out, mode='w:gz', format=tarfile.PAX_FORMAT) as t:
        for m in spec['members']:
            data = base64.b64decode(m['data'])
            info = tarfile.TarInfo(m['name']); info.size = len(data); info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
sys.stdout.buffer.write(out.getvalue())
`;
  return execFileSync('python3', ['-c', script], { input: spec, maxBuffer: 64 << 20 });
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const WORD = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const WORD_MACROS = 'application/vnd.ms-word.document.macroEnabled.main+xml';

function contentTypes(main: string, extra = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>' +
    `${extra}<Override PartName="/word/document.xml" ContentType="${main}"/>` +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'
  );
}

/** A Word document as python-docx lays it out; `parts` added, `types` adds declarations. */
function docxParts(options: { main?: string; types?: string; parts?: Member[]; text?: string } = {}): Member[] {
  return [
    { name: '[Content_Types].xml', data: contentTypes(options.main ?? WORD, options.types) },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>${options.text ?? 'Hello'}</w:t></w:r></w:p></w:body></w:document>`,
    },
    { name: 'docProps/core.xml', data: '<?xml version="1.0"?><cp:coreProperties/>' },
    { name: 'word/media/image1.png', data: PNG },
    ...(options.parts ?? []),
  ];
}

const vbaProject = (): Buffer =>
  corpus.ole({
    entries: [
      { name: 'VBA', type: 1 },
      { name: 'dir', type: 2 },
      { name: 'PROJECT', type: 2 },
    ],
  });
const docm = (): Buffer =>
  pack(
    'zip',
    docxParts({
      main: WORD_MACROS,
      types: '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
      parts: [{ name: 'word/vbaProject.bin', data: vbaProject() }],
    }),
  );
const legacyDocWithMacros = (): Buffer =>
  corpus.ole({
    clsid: corpus.WORD_CLSID,
    entries: [
      { name: 'WordDocument', type: 2 },
      { name: 'Macros', type: 1 },
      { name: 'VBA', type: 1 },
    ],
  });
const PE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)]);

function inspector(policy: InspectPolicyFile = {}) {
  const resolved = resolveInspectPolicy({ scan: { clamd: 'unix:/fake/clamd.sock' }, ...policy });
  if (!resolved) throw new Error('no policy');
  const scanner = new FakeScanner();
  return new ContentInspector({ policy: resolved, scanner, scannerStatus: readyStatus(), parts: defaultInspectionParts });
}

/** One payload file through the inspector, as the import's pass feeds it (random access from the staged bytes). */
async function inspect(content: ContentInspector, path: string, bytes: Buffer): Promise<Problem[]> {
  const file = content.inspect({ path, size: bytes.length, reread: () => bufferSource([bytes]) });
  for (let at = 0; at < bytes.length; at += 65_536) await file.update(bytes.subarray(at, at + 65_536));
  return [...(await file.end(true)), ...(await content.finish())];
}

const codes = (problems: Problem[]) => problems.map((p) => [p.code, p.members ?? []]);

describe('Office packages are archives (issue #16.2)', () => {
  it('a real .docx passes, its parts walked as members, also when the policy allows only .docx', async () => {
    const bytes = pack('zip', docxParts());
    const content = inspector();
    expect(await inspect(content, 'data/letter.docx', bytes)).toEqual([]);
    expect(content.summary().members).toBe(5);
    const strict = inspector({ types: { allowExtensions: ['docx'], allow: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'] } });
    expect(await inspect(strict, 'data/letter.docx', bytes)).toEqual([]);
  });

  it('a package that smuggles an .exe part its [Content_Types].xml does not declare is TYPE_MISMATCH', async () => {
    const bytes = pack('zip', docxParts({ parts: [{ name: 'word/media/setup.exe', data: PE }] }));
    const found = await inspect(inspector(), 'data/letter.docx', bytes);
    expect(codes(found)).toEqual([['TYPE_MISMATCH', []]]);
    expect(found[0]?.message).toContain('word/media/setup.exe');
  });

  it('a declared .exe part still meets the member rules: a denied type names the part', async () => {
    const bytes = pack(
      'zip',
      docxParts({ types: '<Default Extension="exe" ContentType="application/octet-stream"/>', parts: [{ name: 'word/setup.exe', data: PE }] }),
    );
    const found = await inspect(inspector({ types: { deny: ['application/x-msdownload'] } }), 'data/letter.docx', bytes);
    expect(codes(found)).toEqual([['TYPE_DENIED', ['word/setup.exe']]]);
  });

  it('a part that carries the scanner’s marker is MALWARE_FOUND naming the part', async () => {
    const bytes = pack('zip', docxParts({ text: MARKER }));
    const found = await inspect(inspector(), 'data/letter.docx', bytes);
    expect(codes(found)).toContainEqual(['MALWARE_FOUND', ['word/document.xml']]);
  });

  it('a .docm renamed .docx is TYPE_MISMATCH and MACRO_FOUND', async () => {
    const found = await inspect(inspector(), 'data/invoice.docx', docm());
    expect(new Set(found.map((p) => p.code))).toEqual(new Set(['TYPE_MISMATCH', 'MACRO_FOUND']));
    expect(found.every((p) => p.members === undefined)).toBe(true);
  });

  it('a plain zip renamed .docx is TYPE_MISMATCH, and its members are still inspected', async () => {
    const bytes = pack('zip', [{ name: 'payload.exe', data: PE }]);
    const found = await inspect(inspector({ types: { deny: ['application/x-msdownload'] } }), 'data/letter.docx', bytes);
    expect(codes(found)).toEqual([
      ['TYPE_MISMATCH', []],
      ['TYPE_DENIED', ['payload.exe']],
    ]);
  });

  it('an OpenDocument text passes as .odt and is TYPE_MISMATCH as .ods', async () => {
    const odt = pack('zip', [
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
      { name: 'META-INF/manifest.xml', data: '<?xml version="1.0"?><manifest:manifest/>' },
      { name: 'content.xml', data: '<?xml version="1.0"?><office:document-content/>' },
    ]);
    expect(await inspect(inspector(), 'data/notes.odt', odt)).toEqual([]);
    expect(codes(await inspect(inspector(), 'data/notes.ods', odt))).toEqual([['TYPE_MISMATCH', []]]);
  });
});

describe('Office files inside archives get the macro and package checks (issue #16.3)', () => {
  it('a .docm renamed .docx inside a zip: MACRO_FOUND and TYPE_MISMATCH naming the member', async () => {
    const outer = pack('zip', [
      { name: 'readme.txt', data: 'hello' },
      { name: 'reports/q3.docx', data: docm() },
    ]);
    const found = await inspect(inspector(), 'data/bundle.zip', outer);
    expect(found.filter((p) => p.code === 'MACRO_FOUND').map((p) => p.members)).toEqual([['reports/q3.docx']]);
    expect(found.filter((p) => p.code === 'TYPE_MISMATCH').map((p) => p.members)).toEqual([['reports/q3.docx']]);
  });

  it('a .docx with an undeclared .exe part inside a tar.gz is TYPE_MISMATCH naming it', async () => {
    const inner = pack('zip', docxParts({ parts: [{ name: 'word/x.exe', data: PE }] }));
    const found = await inspect(inspector(), 'data/in.tar.gz', pack('tar.gz', [{ name: 'docs/letter.docx', data: inner }]));
    expect(codes(found)).toEqual([['TYPE_MISMATCH', ['docs/letter.docx']]]);
  });

  it('a macro-enabled package two archives deep (zip in tar.gz) is MACRO_FOUND naming the whole chain', async () => {
    const zipped = pack('zip', [{ name: 'macro.docm', data: docm() }]);
    const found = await inspect(inspector(), 'data/in.tar.gz', pack('tar.gz', [{ name: 'inner.zip', data: zipped }]));
    expect(found.filter((p) => p.code === 'MACRO_FOUND').map((p) => p.members)).toEqual([['inner.zip', 'macro.docm']]);
  });

  it('a legacy .doc with a VBA storage inside a zip and inside a tar.gz is MACRO_FOUND naming the member', async () => {
    const doc = legacyDocWithMacros();
    for (const [path, bytes] of [
      ['data/a.zip', pack('zip', [{ name: 'old/report.doc', data: doc }])],
      ['data/a.tar.gz', pack('tar.gz', [{ name: 'old/report.doc', data: doc }])],
    ] as const) {
      const content = inspector();
      expect(codes(await inspect(content, path, bytes))).toEqual([['MACRO_FOUND', ['old/report.doc']]]);
      expect(content.summary().items.find((i) => i.members.length > 0)).toMatchObject({ macros: true, findings: ['MACRO_FOUND'] });
    }
  });

  it('a clean legacy .doc and a clean .docx inside a zip pass; with macros allowed a .docm in a zip passes too', async () => {
    const clean = corpus.ole({ clsid: corpus.WORD_CLSID, entries: [{ name: 'WordDocument', type: 2 }] });
    const outer = pack('zip', [
      { name: 'a.doc', data: clean },
      { name: 'b.docx', data: pack('zip', docxParts()) },
    ]);
    expect(await inspect(inspector(), 'data/ok.zip', outer)).toEqual([]);
    const macrosAllowed = inspector({ types: { macros: 'allow' } });
    expect(await inspect(macrosAllowed, 'data/ok.zip', pack('zip', [{ name: 'm.docm', data: docm() }]))).toEqual([]);
  });
});

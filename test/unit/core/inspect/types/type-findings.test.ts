import { describe, expect, it } from 'vitest';
import { resolveInspectPolicy, type InspectPolicyFile } from '../../../../../electron/core/policy/inspect-policy.js';
import type { TypeDetection } from '../../../../../electron/core/inspect/contract.js';
import { typeFindings } from '../../../../../electron/core/inspect/types/type-findings.js';

const typesOf = (types: NonNullable<InspectPolicyFile['types']> = {}) => {
  const policy = resolveInspectPolicy({ types });
  if (policy === null) throw new Error('unreachable: a section was given');
  return policy.types;
};
const detection = (d: Partial<TypeDetection>): TypeDetection => ({
  mime: 'application/pdf',
  detectedExtension: 'pdf',
  extension: 'pdf',
  mismatch: false,
  executable: false,
  script: false,
  archive: null,
  office: null,
  ...d,
});
const codes = (findings: ReturnType<typeof typeFindings>) => findings.map((f) => `${f.code}:${f.severity}`);

describe('typeFindings: the policy`s type rules', () => {
  it('takes a matching PDF under the defaults (nothing to report)', () => {
    expect(typeFindings(detection({}), null, typesOf())).toEqual([]);
  });

  it('refuses a denied type, by exact type and by family, and deny wins over allow', () => {
    expect(codes(typeFindings(detection({}), null, typesOf({ deny: ['application/pdf'] })))).toEqual(['TYPE_DENIED:refuse']);
    const png = detection({ mime: 'image/png', detectedExtension: 'png', extension: 'png' });
    expect(codes(typeFindings(png, null, typesOf({ deny: ['image/*'] })))).toEqual(['TYPE_DENIED:refuse']);
    expect(codes(typeFindings(png, null, typesOf({ allow: ['image/png'], deny: ['image/*'] })))).toEqual(['TYPE_DENIED:refuse']);
    expect(typeFindings(png, null, typesOf({ allow: ['image/*'] }))).toEqual([]);
  });

  it('refuses a type outside a set allow list', () => {
    const exe = detection({ mime: 'application/x-msdownload', detectedExtension: 'exe', extension: 'exe', executable: true });
    const findings = typeFindings(exe, null, typesOf({ allow: ['application/pdf', 'image/*'] }));
    expect(codes(findings)).toEqual(['TYPE_DENIED:refuse']);
    expect(findings[0]?.detail).toContain('application/x-msdownload');
  });

  it('matches a type with parameters by its base type', () => {
    const opus = detection({ mime: 'audio/ogg; codecs=opus', detectedExtension: 'opus', extension: 'opus' });
    expect(codes(typeFindings(opus, null, typesOf({ deny: ['audio/ogg'] })))).toEqual(['TYPE_DENIED:refuse']);
  });

  it('applies extension rules: deny (gz covers tar.gz), allow list, and no extension under an allow list', () => {
    expect(
      codes(typeFindings(detection({ extension: 'tar.gz', mime: 'application/gzip', detectedExtension: 'gz' }), null, typesOf({ denyExtensions: ['gz'] }))),
    ).toEqual(['TYPE_DENIED:refuse']);
    expect(codes(typeFindings(detection({ extension: 'exe' }), null, typesOf({ allowExtensions: ['pdf'] })))).toEqual(['TYPE_DENIED:refuse']);
    expect(codes(typeFindings(detection({ extension: null }), null, typesOf({ allowExtensions: ['pdf'] })))).toEqual(['TYPE_DENIED:refuse']);
    expect(typeFindings(detection({}), null, typesOf({ allowExtensions: ['pdf'] }))).toEqual([]);
    expect(codes(typeFindings(detection({}), null, typesOf({ allowExtensions: ['pdf'], denyExtensions: ['pdf'] })))).toEqual(['TYPE_DENIED:refuse']);
  });

  it('reports a mismatch and a polyglot by onMismatch (refuse by default, warn or allow when the policy says)', () => {
    const lying = detection({ extension: 'pdf', mime: 'application/x-msdownload', detectedExtension: 'exe', mismatch: true });
    expect(codes(typeFindings(lying, null, typesOf()))).toEqual(['TYPE_MISMATCH:refuse']);
    expect(typeFindings(lying, null, typesOf())[0]?.detail).toMatch(/\.pdf.*application\/x-msdownload/u);
    expect(codes(typeFindings(lying, null, typesOf({ onMismatch: 'warn' })))).toEqual(['TYPE_MISMATCH:warn']);
    expect(typeFindings(lying, null, typesOf({ onMismatch: 'allow' }))).toEqual([]);
    expect(codes(typeFindings(detection({}), null, typesOf(), { polyglot: 'a zip archive is joined' }))).toEqual(['TYPE_MISMATCH:refuse']);
    const both = typeFindings(lying, null, typesOf(), { polyglot: 'a zip archive is joined' });
    expect(both).toHaveLength(1);
    expect(both[0]?.detail).toContain('zip archive');
  });

  it('takes undetected content by default, and refuses or warns when onUndetected says', () => {
    const text = detection({ mime: null, detectedExtension: null, extension: 'txt' });
    expect(typeFindings(text, null, typesOf())).toEqual([]);
    expect(codes(typeFindings(text, null, typesOf({ onUndetected: 'refuse' })))).toEqual(['TYPE_DENIED:refuse']);
    expect(codes(typeFindings(text, null, typesOf({ onUndetected: 'warn' })))).toEqual(['TYPE_DENIED:warn']);
    // An allow list of types does not refuse what was not detected: onUndetected decides.
    expect(typeFindings(text, null, typesOf({ allow: ['application/pdf'] }))).toEqual([]);
    // Two reasons for TYPE_DENIED make one finding, refused when either refuses.
    expect(codes(typeFindings(text, null, typesOf({ onUndetected: 'warn', denyExtensions: ['txt'] })))).toEqual(['TYPE_DENIED:refuse']);
  });

  it('reports macros by the macros rule, and an Office file that could not be checked by the archive rules', () => {
    const docm = detection({
      mime: 'application/vnd.ms-word.document.macroenabled.12',
      detectedExtension: 'docm',
      extension: 'docm',
      office: 'ooxml',
      archive: 'zip',
    });
    const found = { kind: 'found', detail: 'VBA part word/vbaProject.bin' } as const;
    expect(codes(typeFindings(docm, found, typesOf()))).toEqual(['MACRO_FOUND:refuse']);
    expect(codes(typeFindings(docm, found, typesOf({ macros: 'warn' })))).toEqual(['MACRO_FOUND:warn']);
    expect(typeFindings(docm, found, typesOf({ macros: 'allow' }))).toEqual([]);
    expect(typeFindings(docm, { kind: 'none' }, typesOf())).toEqual([]);
    const damaged = { kind: 'unreadable', encrypted: false, detail: 'OLE compound file: the directory chain loops' } as const;
    const encrypted = { kind: 'unreadable', encrypted: true, detail: 'an encrypted Office document' } as const;
    expect(codes(typeFindings(docm, damaged, typesOf()))).toEqual(['ARCHIVE_UNREADABLE:refuse']);
    expect(codes(typeFindings(docm, encrypted, typesOf()))).toEqual(['ARCHIVE_ENCRYPTED:refuse']);
    expect(codes(typeFindings(docm, encrypted, typesOf(), { archives: { encrypted: 'warn', unreadable: 'refuse' } }))).toEqual(['ARCHIVE_ENCRYPTED:warn']);
  });

  it('shows a hostile extension with its control and bidi characters escaped', () => {
    const finding = typeFindings(detection({ extension: 'p\u202edf\u001b[31m' }), null, typesOf({ allowExtensions: ['pdf'] }))[0];
    expect(finding?.detail).not.toContain('\u202e');
    expect(finding?.detail).not.toContain('\u001b');
    expect(finding?.detail).toContain('\\u202e');
  });
});

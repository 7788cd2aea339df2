/**
 * Fakes for the parts of content inspection (electron/core/inspect/contract.ts), for unit tests of
 * the pipeline that must reach every outcome on demand: a scanner that finds a marker (also across
 * chunk boundaries) or answers with an error or not at all, and type/archive parts driven by a
 * tiny made-up format. The real parts have their own tests; the integration tests use them.
 */
import type { ScannerStatus } from '../../shared/inspection.js';
import type {
  ArchiveWalkFinding,
  ByteSource,
  FileScan,
  ItemFinding,
  Scanner,
  ScanVerdict,
  TypeDetection,
  WalkArchive,
} from '../../electron/core/inspect/contract.js';
import type { InspectionParts } from '../../electron/core/inspect/inspection-parts.js';
import type { InspectPolicy } from '../../electron/core/policy/inspect-policy.js';
import { Readable } from 'node:stream';

export const MARKER = 'AIRLOCK-TEST-MARKER';

export function readyStatus(overrides: Partial<ScannerStatus> = {}): ScannerStatus {
  return {
    kind: 'clamd',
    address: 'unix:/fake/clamd.sock',
    reachable: true,
    engineVersion: 'ClamAV 1.4.6',
    databaseVersion: 27000,
    databaseDate: '2026-12-01T00:00:00.000Z',
    databaseAgeDays: 2,
    databaseSource: 'version-command',
    error: null,
    ...overrides,
  };
}

export interface FakeScannerOptions {
  /** Every verdict is this (an error reply, say) unless the marker is found. */
  verdict?: ScanVerdict;
  /** begin() throws. */
  throwOnBegin?: boolean;
  /** Every finish() waits for this before answering (a clamd still scanning). */
  gate?: Promise<void>;
  /** finish() rejects instead of answering. */
  finishThrows?: boolean;
}

export class FakeScanner implements Scanner {
  readonly kind = 'clamd' as const;
  readonly address = 'unix:/fake/clamd.sock';
  begun = 0;
  aborted = 0;
  finished = 0;
  bytes = 0;
  closed = false;

  constructor(private readonly options: FakeScannerOptions = {}) {}

  async status(): Promise<ScannerStatus> {
    return readyStatus();
  }

  async begin(): Promise<FileScan> {
    if (this.options.throwOnBegin) throw new Error('connect ECONNREFUSED');
    this.begun += 1;
    let tail = '';
    let found = false;
    return {
      write: async (chunk) => {
        this.bytes += chunk.length;
        const text = tail + chunk.toString('latin1');
        if (text.includes(MARKER)) found = true;
        tail = text.slice(-MARKER.length);
      },
      finish: async () => {
        if (this.options.gate) await this.options.gate;
        this.finished += 1;
        if (this.options.finishThrows) throw new Error('socket hang up');
        if (found) return { outcome: 'found', detail: 'Airlock.Test.Marker.UNOFFICIAL' };
        return this.options.verdict ?? { outcome: 'clean', detail: null };
      },
      abort: () => {
        this.aborted += 1;
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** The made-up archive: `FAKEZIP\n` then JSON `{ members: [{ name, content }], findings?: [...] }`; a member whose content starts with FAKEZIP is walked in turn. */
export function fakeZip(members: Array<{ name: string; content: string; declaredSize?: number }>, findings: ArchiveWalkFinding[] = []): string {
  return `FAKEZIP\n${JSON.stringify({ members, findings })}`;
}

async function readAll(source: ByteSource): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source.stream()) chunks.push(chunk as Buffer);
  const whole = Buffer.concat(chunks);
  // Both ways of reading must agree (the walk uses either).
  const again = await source.read(0, source.size);
  if (!again.equals(whole) || whole.length !== source.size)
    throw new Error(`ByteSource disagrees with itself: ${whole.length} / ${again.length} / ${source.size}`);
  return whole;
}

export interface FakePartsLog {
  detected: Array<{ head: Buffer; name: string }>;
  walked: string[];
  macroChecks: number;
}

export function fakeParts(options: { walkThrows?: boolean | undefined } = {}): { parts: InspectionParts; log: FakePartsLog } {
  const log: FakePartsLog = { detected: [], walked: [], macroChecks: 0 };
  const walk = async (bytes: Buffer, chain: string[], visit: Parameters<WalkArchive>[3]): Promise<ArchiveWalkFinding[]> => {
    const parsed = JSON.parse(bytes.toString('utf8').slice('FAKEZIP\n'.length)) as {
      members: Array<{ name: string; content: string; declaredSize?: number }>;
      findings: ArchiveWalkFinding[];
    };
    const findings = [...parsed.findings];
    for (const member of parsed.members) {
      const members = [...chain, member.name];
      if (member.content.startsWith('FAKEZIP\n')) findings.push(...(await walk(Buffer.from(member.content), members, visit)));
      else await visit({ members, size: member.declaredSize ?? Buffer.byteLength(member.content), stream: Readable.from([Buffer.from(member.content)]) });
    }
    return findings;
  };
  const parts: InspectionParts = {
    detectType: (head, name): TypeDetection => {
      log.detected.push({ head: Buffer.from(head), name });
      const text = head.toString('latin1');
      const dot = name.lastIndexOf('.');
      const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : null;
      const base: TypeDetection = {
        mime: null,
        detectedExtension: null,
        extension,
        mismatch: false,
        executable: false,
        script: false,
        archive: null,
        office: null,
      };
      if (text.startsWith('FAKEZIP\n')) return { ...base, mime: 'application/zip', detectedExtension: 'zip', archive: 'zip', mismatch: extension !== 'zip' };
      if (text.startsWith('FAKE7Z')) return { ...base, mime: 'application/x-7z-compressed', detectedExtension: '7z', archive: 'unsupported' };
      if (text.startsWith('OLE!')) return { ...base, mime: 'application/x-cfb', detectedExtension: 'doc', office: 'ole' };
      if (text.startsWith('MZ'))
        return { ...base, mime: 'application/x-msdownload', detectedExtension: 'exe', executable: true, mismatch: extension !== 'exe' };
      return base;
    },
    typeFindings: (detection, macros, policy: InspectPolicy, polyglot): ItemFinding[] => {
      const found: ItemFinding[] = [];
      if (detection.executable) found.push({ code: 'TYPE_DENIED', severity: 'refuse', detail: 'An executable.' });
      if ((detection.mismatch || polyglot !== null) && policy.types.onMismatch !== 'allow')
        found.push({ code: 'TYPE_MISMATCH', severity: policy.types.onMismatch, detail: polyglot ?? 'Extension lies.' });
      if (macros?.kind === 'found' && policy.types.macros !== 'allow')
        found.push({ code: 'MACRO_FOUND', severity: policy.types.macros, detail: macros.detail });
      if (macros?.kind === 'unreadable' && policy.archives.encrypted !== 'allow')
        found.push({ code: macros.encrypted ? 'ARCHIVE_ENCRYPTED' : 'ARCHIVE_UNREADABLE', severity: 'refuse', detail: macros.detail });
      return found;
    },
    polyglotIn: (_head, tail) => (tail.toString('latin1').endsWith('ZIPEND') ? 'a zip is joined to its end' : null),
    officeMacros: async (source) => {
      log.macroChecks += 1;
      const bytes = await readAll(source);
      if (bytes.includes('ENCRYPTED')) return { kind: 'unreadable', encrypted: true, detail: 'it is encrypted' };
      return bytes.includes('VBA') ? { kind: 'found', detail: 'It holds a VBA project.' } : { kind: 'none' };
    },
    officePackage: async () => ({ kind: 'valid' }),
    walkArchive: async (source, _kind, _limits, visit) => {
      if (options.walkThrows) throw new Error('central directory is damaged');
      const bytes = await readAll(source);
      log.walked.push(bytes.toString('utf8'));
      return walk(bytes, [], visit);
    },
  };
  return { parts, log };
}

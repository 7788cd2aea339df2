/**
 * One audit event as an RFC 5424 syslog message (docs/siem.md):
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [airlock@32473 seq="..." ...] MSG
 * PRI is facility * 8 + the severity the outcome warrants (event-fields.ts). The header fields
 * are printable US-ASCII by the RFC's grammar: anything else is replaced there, and the exact
 * text travels in the structured data. SD-PARAM values are UTF-8 with `"`, `\` and `]` escaped
 * (§6.3.3); before that, control, bidi and lone-surrogate characters and the backslash itself are
 * written as visible escapes (`\n`, `\u202e`, `\\`), so a hostile name can neither end the
 * element, nor inject a parameter, nor split the message in a receiver that cuts at newlines,
 * and the escaped text still says unambiguously what the name was. Every value is bounded, so a
 * message stays under 4 KiB (rsyslog's default limit is 8 KiB) whatever the event holds.
 */
import { escapeCodePoint, isUnsafeCodePoint } from '../../../shared/display-text.js';
import type { AuditEvent } from '../audit/audit-event.js';
import { channelOf, severityOf, summaryLine } from './event-fields.js';

/**
 * The SD-ID: a private one in the `name@PEN` form RFC 5424 §6.3.2 requires. 32473 is the example
 * enterprise number RFC 5612 reserves for documentation; a site that wants its own registered
 * number maps the element in its SIEM (docs/siem.md says why this one).
 */
export const SD_ID = 'airlock@32473';

export const DEFAULT_FACILITY = 13;
export const DEFAULT_APP_NAME = 'airlock';

export interface SyslogFormatOptions {
  /** 0-23; default 13 (log audit). */
  facility?: number | undefined;
  /** 1-48 printable US-ASCII; default `airlock`. */
  appName?: string | undefined;
  /** The sending process; default this process's pid. */
  procId?: string | undefined;
}

/** Printable ASCII but the backslash: nothing to escape (`"` and `]` are the SD layer's business). */
const SAFE_ASCII_RUN = /^[ -[\]-~]*$/u;

function escapeChar(char: string): string {
  switch (char) {
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return escapeCodePoint(char.codePointAt(0) ?? 0);
  }
}

/** The shared rule's unsafe characters (controls, bidi, zero-width, lone surrogates: shared/display-text.ts), and the backslash that marks our own escapes. */
function needsEscape(char: string): boolean {
  return char === '\\' || isUnsafeCodePoint(char.codePointAt(0) ?? 0);
}

/**
 * `text` with unsafe characters as visible escapes (see above): no control or bidi character
 * survives, and `\` only ever starts an escape. Bounded to `maxBytes` of UTF-8, cut between
 * characters (never inside an escape or a surrogate pair) with `…` marking the cut.
 */
export function safeText(text: string, maxBytes: number): string {
  if (text.length <= maxBytes && SAFE_ASCII_RUN.test(text)) return text;
  let out = '';
  let bytes = 0;
  // Where to cut if the whole does not fit: the last point that leaves room for the mark.
  let cut = -1;
  for (const char of text) {
    const piece = needsEscape(char) ? escapeChar(char) : char;
    const size = Buffer.byteLength(piece);
    if (cut < 0 && bytes + size > maxBytes - 3) cut = out.length;
    if (bytes + size > maxBytes) return `${out.slice(0, cut)}…`;
    out += piece;
    bytes += size;
  }
  return out;
}

/** An SD-PARAM value: `"`, `\` and `]` preceded by a backslash (RFC 5424 §6.3.3). */
export function escapeParamValue(value: string): string {
  if (!/["\\\]]/u.test(value)) return value;
  return value.replace(/["\\\]]/gu, (char) => `\\${char}`);
}

/** A header field: printable US-ASCII only (other characters become `_`), at most `max` characters, `-` when empty. */
export function headerField(value: string | null, max: number): string {
  if (value === null) return '-';
  const printable = value.replace(/[^!-~]/gu, '_').slice(0, max);
  return printable.length > 0 ? printable : '-';
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/u;
const CODE_LIST_BYTES = 512;
/**
 * Per-parameter byte bounds (after the visible escapes): long enough for every real value (a hash
 * is 64, a fingerprint list 16 x 41), short enough for the whole to fit 4 KiB.
 */
const DEFAULT_PARAM_BYTES = 128;

function codeList(codes: readonly string[]): string {
  return safeText(codes.join(','), CODE_LIST_BYTES);
}

/** Printable ASCII but `"`, `\` and `]`: nothing for safeText nor the SD layer to escape (one test instead of two per value). */
const PLAIN_PARAM = /^[ !#-[^-~]*$/u;

/** One SD-PARAM, ` name="value"`, or nothing for an absent value. */
function param(name: string, value: string | null, maxBytes = DEFAULT_PARAM_BYTES): string {
  if (value === null) return '';
  if (value.length <= maxBytes && PLAIN_PARAM.test(value)) return ` ${name}="${value}"`;
  return ` ${name}="${escapeParamValue(safeText(value, maxBytes))}"`;
}

/** A numeric SD-PARAM: digits (and a sign) only, so nothing to bound or escape. */
function numberParam(name: string, value: number | null): string {
  return value === null ? '' : ` ${name}="${value}"`;
}

/** The SD element's parameters in a fixed order; absent values are left out. Built as one string: this runs per event. */
function sdParams(event: AuditEvent): string {
  const channel = channelOf(event.details);
  return (
    numberParam('seq', event.seq) +
    param('hash', event.hash) +
    param('prevHash', event.prevHash) +
    param('type', event.type) +
    param('outcome', event.outcome) +
    param('bundleId', event.bundleUuid) +
    param('bundleName', event.bundleName, 512) +
    param('tagmanifestSha256', event.tagmanifestSha256) +
    param('signers', event.signers.length > 0 ? event.signers.join(',') : null, 1024) +
    param('problems', event.problemCodes.length > 0 ? codeList(event.problemCodes) : null, CODE_LIST_BYTES) +
    param('errorCode', event.errorCode) +
    param('channel', channel.name, 128) +
    numberParam('channelSeq', channel.sequence) +
    param('channelFindings', channel.findings.length > 0 ? codeList(channel.findings) : null, CODE_LIST_BYTES) +
    numberParam('files', event.files) +
    numberParam('bytes', event.bytes) +
    param('station', event.station, 256) +
    param('operator', event.operator, 256)
  );
}

const MSG_BYTES = 512;

export function formatSyslogMessage(event: AuditEvent, options: SyslogFormatOptions = {}): string {
  return createSyslogFormatter(options)(event);
}

/**
 * A formatter for one sink's whole stream (what the forwarder uses): the header parts that only
 * change with the station, type and severity are built once per distinct value and reused, which
 * matters at tens of thousands of events a second. Same output as formatSyslogMessage.
 */
export function createSyslogFormatter(options: SyslogFormatOptions = {}): (event: AuditEvent) => string {
  const facility = options.facility ?? DEFAULT_FACILITY;
  const appAndProc = `${headerField(options.appName ?? DEFAULT_APP_NAME, 48)} ${headerField(options.procId ?? String(process.pid), 128)}`;
  // Bounded caches: a hostile log with ever-new station names or types must not grow them.
  const stations = new BoundedCache<string, string>(64);
  const types = new BoundedCache<string, string>(64);
  return (event) => {
    const pri = facility * 8 + severityOf(event);
    const timestamp = TIMESTAMP.test(event.at) ? event.at : '-';
    const station = stations.get(event.station, () => headerField(event.station, 255));
    const type = types.get(event.type, () => headerField(event.type, 32));
    return `<${pri}>1 ${timestamp} ${station} ${appAndProc} ${type} [${SD_ID}${sdParams(event)}] ${safeText(summaryLine(event), MSG_BYTES)}`;
  };
}

/** A small map that forgets everything once full (the values are cheap to rebuild). */
class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get(key: K, make: () => V): V {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    if (this.entries.size >= this.limit) this.entries.clear();
    const value = make();
    this.entries.set(key, value);
    return value;
  }
}

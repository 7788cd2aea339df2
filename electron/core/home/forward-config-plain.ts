import { isAbsolute } from 'node:path';
import type { ForwardConfig, JsonLinesSinkConfig, SyslogSinkConfig } from './forward-config.js';

/**
 * config.json's `forward` section checked without zod (station-config-plain.ts reads the rest):
 * a station that forwards its audit log to a SIEM has one, and every command reads it. The same
 * contract as the other plain checks: a result only where forward-config.ts's schema gives the
 * same one; undefined for anything else (the schema then decides and words the error), including
 * a text over its limit in UTF-16 units (zod counts code points).
 * test/unit/core/home/station-config-plain.test.ts holds both side by side over hostile files.
 */
export function plainForwardConfig(value: unknown): ForwardConfig | undefined {
  if (!isRecord(value) || !onlyFields(value, ['syslog', 'jsonLines'])) return undefined;
  const forward: ForwardConfig = {};
  if (present(value, 'syslog')) {
    const syslog = plainSyslog(value.syslog);
    if (syslog === undefined) return undefined;
    forward.syslog = syslog;
  }
  if (present(value, 'jsonLines')) {
    const jsonLines = plainJsonLines(value.jsonLines);
    if (jsonLines === undefined) return undefined;
    forward.jsonLines = jsonLines;
  }
  return forward;
}

const SYSLOG_URL = /^(tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253}):[0-9]{1,5}$/u;

function plainSyslog(value: unknown): SyslogSinkConfig | undefined {
  if (!isRecord(value) || !onlyFields(value, ['url', 'ca', 'cert', 'key', 'appName', 'facility'])) return undefined;
  const { url } = value;
  if (typeof url !== 'string' || url.length > 300 || !SYSLOG_URL.test(url)) return undefined;
  const port = Number(url.slice(url.lastIndexOf(':') + 1));
  if (!(port >= 1 && port <= 65_535)) return undefined;
  const sink: SyslogSinkConfig = { url };
  for (const key of ['ca', 'cert', 'key'] as const) {
    if (!present(value, key)) continue;
    const path = value[key];
    if (!isPlainAbsolutePath(path)) return undefined;
    sink[key] = path;
  }
  if (present(value, 'appName')) {
    const { appName } = value;
    if (typeof appName !== 'string' || !/^[!-~]{1,48}$/u.test(appName)) return undefined;
    sink.appName = appName;
  }
  if (present(value, 'facility')) {
    const { facility } = value;
    if (typeof facility !== 'number' || !Number.isSafeInteger(facility) || facility < 0 || facility > 23) return undefined;
    sink.facility = facility;
  }
  // The schema's two rules across fields: cert and key together; ca, cert and key for tls:// only.
  if ((sink.cert === undefined) !== (sink.key === undefined)) return undefined;
  if (!url.startsWith('tls://') && (sink.ca !== undefined || sink.cert !== undefined)) return undefined;
  return sink;
}

function plainJsonLines(value: unknown): JsonLinesSinkConfig | undefined {
  if (!isRecord(value) || !onlyFields(value, ['path', 'maxBytes', 'keep'])) return undefined;
  const { path } = value;
  if (!isPlainAbsolutePath(path)) return undefined;
  const sink: JsonLinesSinkConfig = { path };
  if (present(value, 'maxBytes')) {
    const { maxBytes } = value;
    if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 4096 || maxBytes > 1024 ** 4) return undefined;
    sink.maxBytes = maxBytes;
  }
  if (present(value, 'keep')) {
    const { keep } = value;
    if (typeof keep !== 'number' || !Number.isSafeInteger(keep) || keep < 1 || keep > 1000) return undefined;
    sink.keep = keep;
  }
  return sink;
}

export function isPlainAbsolutePath(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 4096 && isAbsolute(value) && !/[\u0000-\u001f]/u.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schemas are strict: a field they do not know is theirs to word. */
function onlyFields(value: Record<string, unknown>, fields: readonly string[]): boolean {
  return Object.keys(value).every((key) => fields.includes(key));
}

/**
 * Whether an optional field is there. Absent: left out, as the schema leaves it out. A field present
 * as undefined (JSON cannot hold one) counts as present and then fails its check: the schema decides.
 */
function present(value: Record<string, unknown>, key: string): boolean {
  return value[key] !== undefined || key in value;
}

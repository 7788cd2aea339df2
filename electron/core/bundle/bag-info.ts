/**
 * bag-info.txt (RFC 8493 §2.2.2): `Label: value` lines; a line starting with
 * whitespace continues the previous value. Labels may repeat.
 */

export type BagInfo = Array<{ label: string; value: string }>;

export function formatBagInfo(info: BagInfo): string {
  return info
    .map(({ label, value }) => {
      if (/[\r\n]/u.test(label) || /[\r\n]/u.test(value) || label.includes(':')) {
        throw new Error(`bag-info field "${label}" cannot hold a line break or colon in its label`);
      }
      return `${label}: ${value}\n`;
    })
    .join('');
}

export type BagInfoParse = { ok: true; info: BagInfo } | { ok: false; line: number; reason: string };

export function parseBagInfo(text: string): BagInfoParse {
  const lines = text.split(/\r\n|\r|\n/u);
  if (lines.at(-1) === '') lines.pop();
  const info: BagInfo = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (/^[ \t]/u.test(line)) {
      const last = info.at(-1);
      if (!last) return { ok: false, line: i + 1, reason: 'continuation line before any label' };
      last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, line: i + 1, reason: `line ${i + 1} is not "Label: value"` };
    info.push({ label: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return { ok: true, info };
}

export function bagInfoValue(info: BagInfo, label: string): string | undefined {
  const wanted = label.toLowerCase();
  return info.find((field) => field.label.toLowerCase() === wanted)?.value;
}

export interface PayloadOxum {
  octets: number;
  streams: number;
}

export function parsePayloadOxum(value: string): PayloadOxum | null {
  const match = /^(\d{1,16})\.(\d{1,16})$/u.exec(value.trim());
  if (!match) return null;
  const octets = Number(match[1]);
  const streams = Number(match[2]);
  if (!Number.isSafeInteger(octets) || !Number.isSafeInteger(streams)) return null;
  return { octets, streams };
}

/** Bag-Size: human-readable, informational only (RFC 8493 §2.2.2). */
export function humanBagSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

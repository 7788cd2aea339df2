/**
 * Sizes, rates, counts and dates in the app's locale: "1.50 MB" in English, "1,50 MB" in German,
 * as react-intl formats numbers and dates. The units (B, KB, MB ... KiB, MiB) are the same in
 * both languages; the scaling matches shared/format.ts (the CLI's), so app and CLI agree on the value.
 */
import { useMemo } from 'react';
import { useIntl, type IntlShape } from 'react-intl';

const DECIMAL = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

function scaled(intl: IntlShape, bytes: number, step: number, units: readonly string[]): string {
  if (!Number.isFinite(bytes)) return '?';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= step && unit < units.length - 1) {
    value /= step;
    unit += 1;
  }
  if (unit === 0) return `${intl.formatNumber(bytes)} B`;
  const digits = value < 10 ? 2 : 1;
  return `${intl.formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false })} ${units[unit] ?? ''}`;
}

export interface LocalFormat {
  /** Decimal units (KB, MB: powers of 1000), as the app shows sizes. */
  bytes: (bytes: number) => string;
  /** Binary units (KiB, MiB), the units policy.json sizes are given in. */
  size: (bytes: number) => string;
  /** "12.5 MB/s"; empty while no rate is known. */
  rate: (bytesPerSecond: number | null) => string;
  number: (value: number) => string;
  /** A moment as date and time of day, in the local time zone. */
  dateTime: (value: number | string | Date) => string;
  /** A moment as a date only. */
  date: (value: number | string | Date) => string;
  /**
   * A recorded moment in UTC, said to be UTC, so it reads the same on every station: English as
   * "2026-11-28 10:00:05 UTC" (the app always showed it so), other languages in their own date
   * format ("28.11.2026, 10:00:05 UTC"). Text that is not a date is shown as it is.
   */
  utcTime: (iso: string) => string;
}

export function localFormat(intl: IntlShape): LocalFormat {
  return {
    bytes: (bytes) => scaled(intl, bytes, 1000, DECIMAL),
    size: (bytes) => scaled(intl, bytes, 1024, BINARY),
    rate: (bytesPerSecond) => (bytesPerSecond === null ? '' : `${scaled(intl, bytesPerSecond, 1000, DECIMAL)}/s`),
    number: (value) => intl.formatNumber(value),
    dateTime: (value) => intl.formatDate(value, { dateStyle: 'medium', timeStyle: 'medium' }),
    date: (value) => intl.formatDate(value, { dateStyle: 'medium' }),
    utcTime: (iso) => {
      const ms = Date.parse(iso);
      if (Number.isNaN(ms)) return iso;
      if (intl.locale.startsWith('en')) return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
      return `${intl.formatDate(ms, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })} UTC`;
    },
  };
}

export function useFormat(): LocalFormat {
  const intl = useIntl();
  return useMemo(() => localFormat(intl), [intl]);
}

/**
 * clamd's VERSION reply: `ClamAV 1.4.6/27480/Tue Dec  1 09:28:47 2026` when a daily database is
 * loaded, only `ClamAV 1.4.6` otherwise (then the database headers speak: database-headers.ts).
 */
export interface ClamdVersion {
  engineVersion: string;
  databaseVersion: number | null;
  /**
   * The daily database's build time. clamd prints it with ctime() in ITS time zone, which names
   * none; a service runs in UTC, and this station's own zone says nothing about clamd's: read as
   * UTC. Where databaseDir holds the header of that version, its exact time wins (clamd-scanner.ts).
   */
  databaseDate: Date | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime() text, `Tue Dec  1 09:28:47 2026`, as UTC (never this process's time zone); null when it is not that shape. */
export function parseCtime(text: string): Date | null {
  const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) +([0-9]{1,2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([0-9]{4})$/u.exec(text.trim());
  if (m === null) return null;
  const month = MONTHS.indexOf(m[1] ?? '');
  if (month < 0) return null;
  const date = new Date(Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The reply parsed; null when it is not a ClamAV VERSION reply at all. */
export function parseVersionReply(reply: string): ClamdVersion | null {
  const parts = reply.trim().split('/');
  const engineVersion = (parts[0] ?? '').trim();
  if (!/^ClamAV [0-9][0-9A-Za-z.+~-]*$/u.test(engineVersion)) return null;
  if (parts.length < 3) return { engineVersion, databaseVersion: null, databaseDate: null };
  const version = /^[0-9]{1,12}$/u.test(parts[1] ?? '') ? Number(parts[1]) : null;
  return { engineVersion, databaseVersion: version, databaseDate: parseCtime(parts.slice(2).join('/')) };
}

/** Whole days from `date` to `now` (a database dated in the future, clock skew, counts as 0 days old). */
export function ageInDays(date: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - date.getTime()) / 86_400_000));
}

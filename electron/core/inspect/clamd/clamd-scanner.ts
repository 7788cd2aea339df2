/**
 * The clamd scanner (issue #16.4): a Scanner over clamd's socket protocol, Unix or TCP. One
 * connection per file (clamd answers one INSTREAM per connection); status() asks PING and VERSION
 * and, where VERSION names no database, reads the database files' headers in the policy's
 * databaseDir, so the report can always say how old the signatures are.
 */
import type { ScannerStatus } from '../../../../shared/inspection.js';
import { AirlockError } from '../../errors.js';
import type { FileScan, Scanner } from '../contract.js';
import { type ClamdEndpoint, parseClamdAddress } from './address.js';
import { ClamdUnavailableError, clamdCommand } from './connection.js';
import { newestDatabaseIn, readDatabaseHeaders, statusFromHeader } from './database-headers.js';
import { SettledScan } from '../settled-scan.js';
import { InstreamScan } from './instream.js';
import { ageInDays, parseVersionReply } from './version.js';

export interface ClamdScannerOptions {
  /** One file's scan (and one command) may take this long. */
  timeoutMs: number;
  /** Where the database files live; read when VERSION is silent. */
  databaseDir: string | null;
}

/** Commands other than INSTREAM answer at once; a clamd that takes longer than this is not answering. */
const COMMAND_TIMEOUT_MS = 30_000;

export class ClamdScanner implements Scanner {
  readonly kind = 'clamd' as const;
  private readonly endpoint: ClamdEndpoint | null;

  constructor(
    readonly address: string,
    private readonly options: ClamdScannerOptions,
  ) {
    this.endpoint = parseClamdAddress(address);
  }

  private get commandTimeoutMs(): number {
    return Math.min(this.options.timeoutMs, COMMAND_TIMEOUT_MS);
  }

  async status(now: Date, signal?: AbortSignal): Promise<ScannerStatus> {
    const status: ScannerStatus = {
      kind: 'clamd',
      address: this.address,
      reachable: false,
      engineVersion: null,
      databaseVersion: null,
      databaseDate: null,
      databaseAgeDays: null,
      databaseSource: null,
      error: null,
    };
    if (this.endpoint === null) return { ...status, error: `not a clamd address: ${this.address}` };
    let versionReply: string;
    try {
      const pong = await clamdCommand(this.endpoint, 'PING', this.commandTimeoutMs, signal);
      if (pong !== 'PONG') return { ...status, error: `clamd answered PING with "${pong}"` };
      versionReply = await clamdCommand(this.endpoint, 'VERSION', this.commandTimeoutMs, signal);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ...status, error: error instanceof ClamdUnavailableError ? `clamd is not reachable: ${reason}` : `clamd did not answer: ${reason}` };
    }
    status.reachable = true;
    const version = parseVersionReply(versionReply);
    if (version === null) return { ...status, error: `clamd answered VERSION with "${versionReply}"` };
    status.engineVersion = version.engineVersion;
    if (version.databaseVersion !== null && version.databaseDate !== null) {
      // VERSION's date has no time zone; the header of that very version states the exact time (unix seconds).
      const exact = await this.headerTimeOf(version.databaseVersion);
      const date = exact ?? version.databaseDate;
      return {
        ...status,
        databaseVersion: version.databaseVersion,
        databaseDate: date.toISOString(),
        databaseAgeDays: ageInDays(date, now),
        databaseSource: 'version-command',
      };
    }
    return this.fromDatabaseHeaders(status, now);
  }

  /** The build time in databaseDir's header of this version, or null (no databaseDir, no such header). */
  private async headerTimeOf(databaseVersion: number): Promise<Date | null> {
    if (this.options.databaseDir === null) return null;
    const headers = await readDatabaseHeaders(this.options.databaseDir).catch(() => []);
    return headers.find((h) => h.version === databaseVersion)?.builtAt ?? null;
  }

  /** VERSION was silent: the newest container header in databaseDir speaks for the database. */
  private async fromDatabaseHeaders(status: ScannerStatus, now: Date): Promise<ScannerStatus> {
    const dir = this.options.databaseDir;
    if (dir === null)
      return { ...status, error: 'the signature database’s version and date are unknown: clamd names none and the policy names no databaseDir' };
    const newest = await newestDatabaseIn(dir);
    if (newest === null)
      return { ...status, error: `the signature database’s version and date are unknown: clamd names none and ${dir} holds no .cvd/.cld/.cud file` };
    return { ...status, ...statusFromHeader(newest, now) };
  }

  begin(signal?: AbortSignal): Promise<FileScan> {
    if (this.endpoint === null) return Promise.resolve(new SettledScan({ outcome: 'unavailable', detail: `not a clamd address: ${this.address}` }));
    return InstreamScan.open(this.endpoint, this.options.timeoutMs, signal);
  }

  /** RELOAD: clamd answers `RELOADING` and loads the database again in the background. */
  async reload(signal?: AbortSignal): Promise<void> {
    if (this.endpoint === null) throw new AirlockError('SCANNER_ERROR', `not a clamd address: ${this.address}`);
    let reply: string;
    try {
      reply = await clamdCommand(this.endpoint, 'RELOAD', this.commandTimeoutMs, signal);
    } catch (error) {
      throw new AirlockError('SCANNER_ERROR', `RELOAD: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (reply !== 'RELOADING') throw new AirlockError('SCANNER_ERROR', `clamd answered RELOAD with "${reply}"`);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

import { openStationDb, type StationDb } from '../db/station-db.js';
import { openStationDbSnapshot, type StationDbSnapshot } from '../db/station-db-snapshot.js';
import { homeStorageFailure } from '../home/home-storage.js';
import { DEFAULT_STATION_LANGUAGE, type StationLanguage } from '../../../shared/language.js';
import { readStationConfig, stationIdentity, type StationIdentity } from '../home/station-config.js';
import { ensureHome, resolveHomeDir, type HomePaths } from '../home/station-home.js';
import { settleInterruptedTransfers, type ReconcileSummary } from '../recovery/reconcile.js';
import { settleKeyChangeAtOpen } from '../keys/key-change-journal.js';

export interface OpenStationOptions {
  /** --home; else $AIRLOCK_HOME; else the OS app-data directory. */
  home?: string | undefined;
  /** --operator: who is at the keyboard, recorded with the OS user. */
  operator?: string | undefined;
}

/**
 * What every station module is given: the home, who is at it, and the database. The database
 * is opened on first use, and opening it settles what a dead process left pending (recovery at
 * open). There is no way to append an audit event here: that goes through runAudited()
 * (audited-operation.ts), so that no operation records an outcome without the helper.
 */
export interface StationContext {
  readonly paths: HomePaths;
  readonly identity: StationIdentity;
  /** config.json `mediaRoots`: folders listed as media. */
  readonly mediaRoots: readonly string[];
  /** config.json `language`: the language its PDF receipts are written in. */
  readonly language: StationLanguage;
  /** The station database, opened (and interrupted transfers settled) on first use. */
  database(): StationDb;
  /** For reading the log (audit list, verify, export): when the home cannot take a write (full, read-only), a private copy. */
  readDatabase(): StationDb;
  /** Settle intents and claims of dead processes now (also done inside every claim). */
  settleInterrupted(): void;
  /** What opening the database settled; null once reported. */
  recoveredAtOpen(): ReconcileSummary | null;
  /** The first import after opening reports what was recovered, once: the summary, then null. */
  takeRecovered(): ReconcileSummary | null;
  close(): void;
}

export async function openStationContext(options: OpenStationOptions): Promise<StationContext> {
  const paths = await ensureHome(resolveHomeDir(options.home));
  const config = await readStationConfig(paths);
  const context = new StationHome(paths, stationIdentity(config, options.operator), config.mediaRoots ?? [], config.language ?? DEFAULT_STATION_LANGUAGE);
  // A key change a cut or kill left half done is settled before any command reads the keys (key-change-journal.ts).
  // Best effort, as settleAtOpen: a home that cannot take a write now still opens; the next open or key change settles it.
  await settleKeyChangeAtOpen(paths, () => context.database()).catch(() => undefined);
  return context;
}

class StationHome implements StationContext {
  private db: StationDb | null = null;
  private readCopy: StationDbSnapshot | null = null;
  private recovered: ReconcileSummary | null = null;

  constructor(
    readonly paths: HomePaths,
    readonly identity: StationIdentity,
    readonly mediaRoots: readonly string[],
    readonly language: StationLanguage,
  ) {}

  close(): void {
    this.db?.close();
    this.db = null;
    this.readCopy?.dispose();
    this.readCopy = null;
  }

  database(): StationDb {
    if (this.db === null) {
      try {
        this.db = openStationDb(this.paths.database);
      } catch (error) {
        throw homeStorageFailure(error, this.paths.root) ?? error;
      }
      this.recovered = this.settleAtOpen();
    }
    return this.db;
  }

  readDatabase(): StationDb {
    try {
      return this.database();
    } catch (error) {
      if (homeStorageFailure(error, this.paths.root) === null) throw error;
      this.readCopy ??= openStationDbSnapshot(this.paths.database);
      return this.readCopy.db;
    }
  }

  settleInterrupted(): void {
    settleInterruptedTransfers(this.database(), this.identity);
  }

  recoveredAtOpen(): ReconcileSummary | null {
    this.database();
    return this.recovered;
  }

  takeRecovered(): ReconcileSummary | null {
    const recovered = this.recovered;
    if ((recovered?.events.length ?? 0) === 0) return null;
    this.recovered = null;
    return recovered;
  }

  /**
   * Intents of dead processes are settled whenever the database is opened and inside every
   * claim. A home whose database cannot take a write now (read-only media, a long lock) still
   * serves reads: the intents stay pending for the next start.
   */
  private settleAtOpen(): ReconcileSummary | null {
    try {
      return settleInterruptedTransfers(this.database(), this.identity);
    } catch {
      return null;
    }
  }
}

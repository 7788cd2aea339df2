/**
 * The InspectionSummary of one bundle (shared/inspection.ts), bounded whatever the bundle holds:
 * counters for everything, every item with a finding or warning listed up to FLAGGED_ITEM_CAP,
 * clean items up to CLEAN_ITEM_CAP (a bundle may hold a million files).
 */
import type { InspectedItem, InspectionSummary, ScannerStatus } from '../../../shared/inspection.js';

/** Items with findings or warnings listed (the problems list has its own cap, PROBLEM_CAP). */
export const FLAGGED_ITEM_CAP = 1000;
/** Clean items listed, so a report shows what was looked at even when nothing was found. */
export const CLEAN_ITEM_CAP = 100;

export class InspectionTally {
  private files = 0;
  private members = 0;
  private bytesScanned = 0;
  private refused = 0;
  private warned = 0;
  private omitted = 0;
  private flaggedListed = 0;
  private cleanListed = 0;
  private readonly items: InspectedItem[] = [];

  constructor(
    private readonly scanner: ScannerStatus | null,
    private readonly caps = { flagged: FLAGGED_ITEM_CAP, clean: CLEAN_ITEM_CAP },
  ) {}

  scanned(bytes: number): void {
    this.bytesScanned += bytes;
  }

  record(item: InspectedItem): void {
    if (item.members.length === 0) this.files += 1;
    else this.members += 1;
    const flagged = item.findings.length > 0 || item.warnings.length > 0;
    if (item.findings.length > 0) this.refused += 1;
    else if (item.warnings.length > 0) this.warned += 1;
    if (flagged) {
      if (this.flaggedListed < this.caps.flagged) {
        this.flaggedListed += 1;
        this.items.push(item);
      }
      // Flagged items beyond the cap are counted in refused/warned; their problems are in the problem list (itself capped).
      return;
    }
    if (this.cleanListed < this.caps.clean) {
      this.cleanListed += 1;
      this.items.push(item);
    } else this.omitted += 1;
  }

  summary(complete: boolean): InspectionSummary {
    return {
      enabled: true,
      scanner: this.scanner,
      files: this.files,
      members: this.members,
      bytesScanned: this.bytesScanned,
      refused: this.refused,
      warned: this.warned,
      items: [...this.items],
      omitted: this.omitted,
      complete,
    };
  }
}

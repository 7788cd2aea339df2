/** A scan whose verdict is known before any byte is sent (the scanner is unreachable, or the scan could not start). */
import type { FileScan, ScanVerdict } from './contract.js';

export class SettledScan implements FileScan {
  constructor(private readonly verdict: ScanVerdict) {}
  write(): Promise<void> {
    return Promise.resolve();
  }
  finish(): Promise<ScanVerdict> {
    return Promise.resolve(this.verdict);
  }
  abort(): void {}
}

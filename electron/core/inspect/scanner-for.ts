/** The scanner a policy's `inspect.scan` names (issue #16.4): clamd over its socket, or a command. */
import type { ScanPolicy } from '../policy/inspect-policy.js';
import { ClamdScanner } from './clamd/clamd-scanner.js';
import { CommandScanner } from './command-scanner.js';
import type { Scanner } from './contract.js';

export interface ScannerOptions {
  /** Private temp folders of the command scanner (default the OS temp directory). */
  tempRoot?: string | undefined;
}

export function createScanner(scan: ScanPolicy, options: ScannerOptions = {}): Scanner {
  const timeoutMs = scan.timeoutSeconds * 1000;
  const scanner = scan.scanner;
  switch (scanner.kind) {
    case 'clamd':
      return new ClamdScanner(scanner.address, { timeoutMs, databaseDir: scan.databaseDir });
    case 'command':
      return new CommandScanner({
        argv: scanner.argv,
        cleanExitCodes: scanner.cleanExitCodes,
        infectedExitCodes: scanner.infectedExitCodes,
        timeoutMs,
        databaseDir: scan.databaseDir,
        tempRoot: options.tempRoot,
      });
  }
}

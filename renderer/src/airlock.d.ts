/** What the preload exposes (electron/preload/index.ts). Absent when the page runs outside Electron. */
interface Window {
  readonly airlock?: {
    readonly version: string;
  };
}

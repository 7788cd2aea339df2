/** What the preload exposes (electron/preload/index.ts). Absent when the page runs outside Electron. */
interface Window {
  readonly airlock?: import('../../shared/airlock-api.js').AirlockApi;
}

/** Replaced at build time by electron.vite.config.ts (`define`). */
declare const __AIRLOCK_VERSION__: string;

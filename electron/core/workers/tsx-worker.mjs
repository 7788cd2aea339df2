// Runs a TypeScript worker entry from source (tests, a checkout's bin/airlock.mjs): a worker
// thread does not inherit the TypeScript loader of the thread that started it, so it registers
// tsx first. worker-script.ts passes the entry's URL as the last argument. Built code never comes here.
import { register } from 'tsx/esm/api';

register();
await import(process.argv.at(-1));

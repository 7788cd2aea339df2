/**
 * How far the CLI's heap may grow past what the last full garbage collection kept. V8's default
 * lets the old generation reach up to about twice (at times four times) its live size before the
 * next full collection; importing or verifying a bundle of a million small files promotes a steady
 * stream of short-lived per-entry objects, so peak memory was that multiple of what the pipeline
 * actually holds. Capping the growth at 30% makes full collections come sooner, each cheap (the
 * live set is compact, verify/payload-index.ts), and keeps peak RSS near the live size (200,000
 * empty files: import 188 -> 178 MB; a million: verify 427 -> 356 MB) for no measurable CPU time
 * at 200,000 files and up to ~10% at a million (29 -> 32 s of CPU, on a loaded machine)
 * (docs/design-notes.md §7). V8 reads this flag each time it sets the next limit, so setting it
 * here, before any command runs, is as good as on node's command line (which the CLI cannot
 * choose: `node bin/airlock.cjs`, the packaged app, and the tests all start it their own way).
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;

setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);

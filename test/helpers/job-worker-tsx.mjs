// The TypeScript job worker under plain Node (tests, the end-to-end harness): the app runs the
// electron-vite build of electron/worker/job-worker.ts instead.
import { register } from 'tsx/esm/api';

register();
await import('../../electron/worker/job-worker.ts');

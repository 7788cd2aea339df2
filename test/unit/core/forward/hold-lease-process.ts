// Child process for the lease test: takes the forwarding lease of the home given, says so, and
// holds it until killed (kill -9 included: the kernel drops the lock with the process).
import { ForwardLease } from '../../../../electron/core/forward/forward-lease.js';

const lease = ForwardLease.tryTake(process.argv[2] ?? '');
process.stdout.write(lease === null ? 'busy\n' : 'held\n');
setInterval(() => undefined, 60_000);

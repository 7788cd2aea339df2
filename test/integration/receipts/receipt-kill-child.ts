/**
 * Writes one receipt set and SIGKILLs itself at an exact instant of the publish: before the
 * journal is renamed into place, before the k-th member is linked (k = 1..5), or after the last
 * link (before the journal is removed). Random kill instants rarely land between two links.
 *
 *   node --import tsx test/integration/receipts/receipt-kill-child.ts POINT DIR KEYFILE
 *
 * POINT: journal | link-1 .. link-5 | after-links
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { readPrivateKey } from 'openpgp';

const [point = '', dir = '', keyFile = ''] = process.argv.slice(2);

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

const rename = fs.promises.rename;
fs.promises.rename = async (from, to) => {
  if (point === 'journal' && String(to).includes('.set-journal.')) die();
  return rename(from, to);
};
let links = 0;
const link = fs.promises.link;
fs.promises.link = async (from, to) => {
  if (String(to).includes('-receipt')) {
    links += 1;
    if (point === `link-${links}`) die();
    await link(from, to);
    if (point === 'after-links' && links === 5) die();
    return;
  }
  return link(from, to);
};
syncBuiltinESMExports();

const { writeReceipt } = await import('../../../electron/core/audit/receipt.js');
const { openpgpSigner } = await import('../../../electron/core/crypto/bundle-signer.js');
const { killReceipt, killRows } = await import('./kill-receipt.js');

// The test writes the key unlocked (a throwaway key in a temp folder).
const key = await readPrivateKey({ armoredKey: fs.readFileSync(keyFile, 'utf8') });
await writeReceipt(dir, killReceipt, openpgpSigner(key), { language: 'de', files: { total: 2, rows: killRows } });

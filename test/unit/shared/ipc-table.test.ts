/**
 * shared/ipc.ts composes the channel table from one block per domain (shared/ipc/*.ts). A method
 * in two blocks would silently keep only the last spread; a block left out of the table would
 * leave its channels without a handler or a gate. Pinned here: every method in exactly one block,
 * the table exactly the union of the blocks, every channel name distinct, and the methods the
 * contract has today (a new one is added here and to its block on purpose).
 */
import { describe, expect, it } from 'vitest';
import { IPC_BLOCKS, IPC_CHANNELS, IPC_METHODS } from '../../../shared/ipc.js';

const EXPECTED: Record<keyof typeof IPC_BLOCKS, string[]> = {
  media: ['listMedia', 'listMediumBundles', 'startVerifyMedium', 'ejectMedium'],
  keys: [
    'stationStatus',
    'generateKey',
    'listTrusted',
    'inspectKeyFile',
    'trustKeyFile',
    'untrustKey',
    'chooseKeyFile',
    'rotateKey',
    'exportPublicKey',
    'backupKey',
    'restoreKey',
    'importRevocation',
  ],
  transfer: ['chooseExportSources', 'chooseFolder', 'chooseFile', 'chooseBundle', 'summarizeSelection', 'startExport', 'startVerify', 'startImport'],
  jobs: ['listJobs', 'getJob', 'cancelJob'],
  audit: ['listAudit', 'startVerifyAudit', 'checkpointAudit', 'exportAudit'],
  settings: ['getSettings', 'saveSettings'],
  inspection: ['inspectionStatus'],
  quarantine: ['listQuarantine', 'showQuarantine', 'startQuarantineRelease', 'purgeQuarantine', 'purgeReleasedQuarantine'],
  inbox: ['inboxOverview'],
  feed: ['startFeedImport', 'startHeartbeat', 'nextChannelStamp'],
  twoPerson: [
    'listStaged',
    'openStagingFolder',
    'closeStagingFolder',
    'describeStaged',
    'approveStaged',
    'discardStaged',
    'startPrepareExport',
    'startFinishExport',
  ],
};

describe('the IPC channel table, composed from its domain blocks', () => {
  it('holds each domain block, and each method in exactly one block', () => {
    const owners = new Map<string, string[]>();
    for (const [domain, block] of Object.entries(IPC_BLOCKS)) {
      for (const method of Object.keys(block)) owners.set(method, [...(owners.get(method) ?? []), domain]);
    }
    for (const [method, domains] of owners) expect(domains, method).toHaveLength(1);
    expect([...owners.keys()].sort()).toEqual([...IPC_METHODS].sort());
    for (const [domain, methods] of Object.entries(EXPECTED))
      expect(Object.keys(IPC_BLOCKS[domain as keyof typeof IPC_BLOCKS]).sort(), domain).toEqual([...methods].sort());
  });

  it('gives every method its block entry unchanged, on a channel name of its own', () => {
    for (const block of Object.values(IPC_BLOCKS)) {
      for (const [method, entry] of Object.entries(block)) expect(IPC_CHANNELS[method as keyof typeof IPC_CHANNELS]).toBe(entry);
    }
    const channels = IPC_METHODS.map((m) => IPC_CHANNELS[m].channel);
    expect(new Set(channels).size).toBe(channels.length);
    for (const channel of channels) expect(channel).toMatch(/^airlock:[a-z-]+$/u);
  });
});

import type { HeartbeatAlarm } from '../../../shared/channels.js';
import { heartbeatIntervalFor } from '../policy/channel-policy.js';
import { readStationPolicy } from '../policy/station-policy.js';
import { runAudited } from '../station/audited-operation.js';
import type { StationContext } from '../station/context.js';
import { alarmFor, receiveRows } from './channel-state.js';

/**
 * Heartbeat alarms (docs/channels.md): every (signer, channel) whose policy sets an interval and
 * that has been silent for longer is in alarm. The first check that finds a silence records ONE
 * `channel-alarm` audit event for it, marking the row (alarm_raised_at) in the same transaction,
 * so concurrent or repeated checks never raise it twice; anything arriving on the channel clears
 * the mark (channel-receive.ts recordReceived), and the next silence raises a new alarm.
 * Returns every channel in alarm now, raised by this call or before. The watcher calls it
 * periodically (`airlock watch`), `airlock channels` shows the same.
 */
export async function checkHeartbeatAlarms(context: StationContext, now: Date = new Date()): Promise<HeartbeatAlarm[]> {
  const policy = (await readStationPolicy(context.paths)).channels;
  const done = await runAudited(context, {
    type: 'channel-alarm',
    failureDetails: 'not recorded',
    run: (during) => {
      const db = context.database();
      const alarms: HeartbeatAlarm[] = [];
      for (const row of receiveRows(db)) {
        const alarm = alarmFor(row, heartbeatIntervalFor(policy, row.channel), now);
        if (alarm === null) continue;
        alarms.push(alarm);
        if (row.alarm_raised_at !== null) continue;
        db.transaction(() => {
          const marked = db
            .prepare('UPDATE channel_receive SET alarm_raised_at = ? WHERE signer = ? AND channel = ? AND alarm_raised_at IS NULL AND last_received_at = ?')
            .run(now.toISOString(), row.signer, row.channel, row.last_received_at);
          if (marked.changes !== 1) return;
          during.also({
            type: 'channel-alarm',
            outcome: 'failed',
            signers: [row.signer],
            errorCode: null,
            details: { ...alarm },
          });
        }).immediate();
      }
      return Promise.resolve(alarms);
    },
    succeeded: () => null,
  });
  return done.value;
}

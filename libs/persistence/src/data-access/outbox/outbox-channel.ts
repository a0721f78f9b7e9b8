import type { PoolClient } from 'pg';
import { Session } from '../sql';

/** The channel a commit that added outbox rows notifies (trigger outbox_message_notify). */
export const OUTBOX_CHANNEL = 'outbox_message_added';

/**
 * Calls `onAdded` whenever a transaction that added outbox rows commits, until the returned stop is called; `onLost`
 * when the connection ends (no notification, and no session lock held on it, survives that). Listens on the session's
 * own connection (the relay's lock connection), which must stay checked out meanwhile.
 */
export async function listenForOutboxRows(session: Session, onAdded: () => void, onLost: () => void): Promise<() => Promise<void>> {
  const connection = (await session.connect()) as PoolClient;
  const onNotification = (notification: { channel: string }) => {
    if (notification.channel === OUTBOX_CHANNEL) onAdded();
  };
  connection.on('notification', onNotification);
  connection.once('end', onLost);
  await session.query(`LISTEN ${OUTBOX_CHANNEL}`);
  return async () => {
    connection.off('notification', onNotification);
    connection.off('end', onLost);
    // The connection goes back to the pool: it must not keep listening for its next user.
    await session.query(`UNLISTEN ${OUTBOX_CHANNEL}`);
  };
}

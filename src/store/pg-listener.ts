/** LISTEN on PostgreSQL channels over a connection of its own, reconnecting when the connection breaks. */
import pg from 'pg';
import type { Listener } from './cluster-repository';

export interface ListenOptions {
  /** Told when the connection broke (it reconnects after `retryMs`). */
  readonly onError?: (error: Error) => void;
  readonly retryMs?: number;
}

/**
 * Listens on `channels` (identifiers: letters, digits, underscores) and hands every notification to
 * `onMessage`. Resolves once listening; a broken connection is replaced, and notifications sent while it
 * was down are lost (the callers' state is in tables; a notification only says "look now").
 */
export async function listenPostgres(
  connectionString: string,
  channels: readonly string[],
  onMessage: (channel: string, payload: string) => void,
  options: ListenOptions = {},
): Promise<Listener> {
  for (const channel of channels) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`Bad channel name ${channel}.`);
  }
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => onMessage(message.channel, message.payload ?? ''));
    next.on('error', (error) => {
      options.onError?.(error);
      if (client === next) client = null;
      next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect().catch(() => undefined), options.retryMs ?? 1_000);
    });
    await next.connect();
    for (const channel of channels) await next.query(`LISTEN ${channel}`);
    if (closed) await next.end();
    else client = next;
  };
  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end();
      client = null;
    },
  };
}

/**
 * One bot process among several on one PostgreSQL database: its id, its lease (renewed every third of the
 * lease), and messages to one replica or to all of them over LISTEN/NOTIFY. On SQLite there is one process
 * and no replica (`startReplica` resolves null): everything stays in that process's memory.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../config/logger';
import type { Clock } from '../core/ports';
import type { ClusterRepository, Listener, Notice } from './cluster-repository';
import type { Store } from './store';

/** PostgreSQL's NOTIFY payload limit is 8000 bytes; a larger message says where to read instead. */
export const MAX_MESSAGE_BYTES = 7_900;

const ALL = 'hybridops_replicas';
const channelOf = (replicaId: string) => `hybridops_replica_${replicaId}`;

/** A message between replicas. */
export interface ReplicaMessage {
  readonly topic: string;
  readonly from: string;
  readonly body: Record<string, unknown>;
}

/** This process as one replica of the bot. */
export interface Replica {
  readonly id: string;
  readonly leaseMs: number;
  readonly cluster: ClusterRepository;
  /** Now, as ISO-8601: a replica's lease is live while it ends after this. */
  now(): string;
  /** Sends to replica `to`, or to every replica (this one too) when `to` is null. */
  send(to: string | null, topic: string, body: Record<string, unknown>): Promise<void>;
  /** The same message as a notice to hand to a write, which sends it when it commits. */
  notice(to: string | null, topic: string, body: Record<string, unknown>): Notice;
  /** Hands every message on `topic` (from any replica) to `handler`. */
  on(topic: string, handler: (body: Record<string, unknown>, from: string) => void): void;
  /** Stops renewing the lease and listening, and forgets the replica: what it held is free at once. */
  stop(): Promise<void>;
}

export interface ReplicaOptions {
  readonly clock: Clock;
  /** How long a replica counts as alive after its last renewal (default 10 s). */
  readonly leaseMs?: number;
  readonly logger?: Pick<Logger, 'warn' | 'info'>;
}

/** Joins the replicas on the store's PostgreSQL database; null on SQLite. */
export async function startReplica(
  store: Pick<Store, 'cluster' | 'listen'>,
  options: ReplicaOptions,
): Promise<Replica | null> {
  if (!store.listen) return null;
  const { clock, logger } = options;
  const leaseMs = options.leaseMs ?? 10_000;
  const id = randomBytes(8).toString('hex');
  const startedAt = clock.now().toISOString();
  const handlers = new Map<string, (body: Record<string, unknown>, from: string) => void>();
  const renew = () =>
    store.cluster.renewReplica(id, startedAt, new Date(clock.now().getTime() + leaseMs).toISOString());
  await renew();
  const listener: Listener = await store.listen([ALL, channelOf(id)], (_channel, payload) => {
    let message: ReplicaMessage;
    try {
      message = JSON.parse(payload) as ReplicaMessage;
    } catch {
      logger?.warn({ payload: payload.slice(0, 200) }, 'replica: a message that is not JSON, ignored');
      return;
    }
    handlers.get(message.topic)?.(message.body, message.from);
  });
  const notice = (to: string | null, topic: string, body: Record<string, unknown>): Notice => {
    const message: ReplicaMessage = { topic, from: id, body };
    return { channel: to ? channelOf(to) : ALL, payload: JSON.stringify(message) };
  };
  const timer = setInterval(
    () => {
      renew().catch((error: unknown) => logger?.warn({ err: error }, 'replica: lease not renewed'));
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  logger?.info({ replica: id, leaseMs }, 'replica: joined the others on PostgreSQL');
  return {
    id,
    leaseMs,
    cluster: store.cluster,
    now: () => clock.now().toISOString(),
    async send(to, topic, body) {
      const { channel, payload } = notice(to, topic, body);
      await store.cluster.notify(channel, payload);
    },
    notice,
    on(topic, handler) {
      handlers.set(topic, handler);
    },
    async stop() {
      clearInterval(timer);
      await listener.close();
      await store.cluster.removeReplica(id);
    },
  };
}

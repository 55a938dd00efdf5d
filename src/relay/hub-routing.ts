/**
 * Relay routing between replicas of the bot on one PostgreSQL database. The replica an agent is connected to
 * records that in `cluster_agent_routes` and tells the others; each replica remembers the routes it looked
 * up until the holder's lease ends or the agent arrives or leaves somewhere. A job dispatched on another
 * replica is stored as always, and the same INSERT notifies the holder, which sends it down the agent's
 * WebSocket. The holder stores the result as always, and the same UPDATE tells the dispatching replica,
 * which hands it to its engine (the frame rides in the notification when it fits).
 */
import type { Logger } from 'pino';
import { errorMessage } from '../core/errors';
import type { Notice } from '../store/cluster-repository';
import type { RelayRepository } from '../store/relay-repository';
import { MAX_MESSAGE_BYTES, type Replica } from '../store/replica';
import type { AgentConnections } from './hub-connections';
import { outcomeOf } from './hub-connections';
import type { Arrivals } from './hub-presence';
import type { JobWaiters } from './hub-waiters';
import { agentMessageSchema, parseFrameText, type ResultMessage } from './protocol';

export interface ReplicaRoutesDeps {
  readonly replica: Replica;
  readonly store: RelayRepository;
  readonly agents: AgentConnections;
  readonly waiters: JobWaiters;
  readonly arrivals: Arrivals;
  readonly log: Pick<Logger, 'info' | 'warn'>;
}

type Body = Record<string, unknown>;
const text = (body: Body, key: string): string => String(body[key] ?? '');
/** How many jobs' dispatching replicas a hub remembers at most. */
const MAX_DISPATCHERS = 10_000;
/** The frame itself when it fits in a NOTIFY, else nothing: the receiver reads it from the job table. */
const inline = (frame: string) => (Buffer.byteLength(frame) < MAX_MESSAGE_BYTES - 400 ? frame : undefined);

/** The hub's side of routing between replicas; see the module comment. */
export class ReplicaRoutes {
  /** Routes looked up here: the holder, until its lease (as read) ends. */
  private readonly known = new Map<string, { readonly holder: string; readonly until: string }>();
  /** Bumped whenever a route may have changed: a lookup that started before does not fill `known`. */
  private changes = 0;
  /** The replica that dispatched each job delivered here, which alone waits for its result and progress. */
  private readonly dispatchers = new Map<string, string>();

  constructor(private readonly deps: ReplicaRoutesDeps) {
    const { replica } = deps;
    replica.on('relay.job', (body) => void this.onJob(body).catch(this.warn('job not handed on')));
    replica.on('relay.cancel', (body) => deps.agents.cancel(text(body, 'agentId'), text(body, 'jobId')));
    replica.on('relay.revoke', (body) => deps.agents.revoke(text(body, 'agentId')));
    replica.on('relay.result', (body) => void this.onResult(body).catch(this.warn('result not handed on')));
    replica.on('relay.progress', (body) => {
      const waiter = deps.waiters.get(text(body, 'jobId'));
      if (waiter?.agentId === text(body, 'agentId')) waiter.onProgress?.(Number(body.done), Number(body.of));
    });
    replica.on('relay.arrived', (body) => {
      this.forget(text(body, 'agentId'));
      deps.arrivals.arrived(text(body, 'agentId'));
    });
    replica.on('relay.left', (body) => this.forget(text(body, 'agentId')));
  }

  /**
   * The other live replica holding the agent's connection, or null: as last looked up while that replica's
   * lease lasts and no arrival or departure of the agent was announced since, else read again.
   */
  async holder(agentId: string): Promise<string | null> {
    const { replica } = this.deps;
    const now = replica.now();
    const known = this.known.get(agentId);
    if (known && known.until > now) return known.holder;
    const before = this.changes;
    const found = await replica.cluster.agentHolder(agentId, now);
    if (!found || found.replicaId === replica.id) return null;
    if (before === this.changes)
      this.known.set(agentId, { holder: found.replicaId, until: found.leaseUntil });
    return found.replicaId;
  }

  /** The holder as the table says now (for a revocation, which must not miss a route). */
  async currentHolder(agentId: string): Promise<string | null> {
    this.forget(agentId);
    return this.holder(agentId);
  }

  /** Every agent some live replica holds. */
  async routed(): Promise<ReadonlySet<string>> {
    const { replica } = this.deps;
    return new Set((await replica.cluster.agentRoutes(replica.now())).keys());
  }

  /** The agent said hello here: this replica holds it now, and replicas waiting for it are told. */
  async arrived(agentId: string): Promise<void> {
    const { replica } = this.deps;
    await replica.cluster.setAgentRoute(agentId, replica.id, replica.now());
    await replica.send(null, 'relay.arrived', { agentId });
  }

  /** The agent's connection here closed: the route is cleared, and replicas that remember it forget it. */
  async left(agentId: string): Promise<void> {
    await this.deps.replica.cluster.clearAgentRoute(agentId, this.deps.replica.id);
    await this.deps.replica.send(null, 'relay.left', { agentId });
  }

  /** The message handing a job to the replica holding its agent, sent by the job's insert. */
  jobNotice(holder: string, agentId: string, jobId: string, payload: string, signature: string): Notice {
    const fits = inline(payload + signature) !== undefined;
    return this.deps.replica.notice(holder, 'relay.job', {
      agentId,
      jobId,
      dispatcher: this.deps.replica.id,
      ...(fits ? { payload, signature } : {}),
    });
  }

  /** Tells the agent, wherever it is connected, to drop a job. */
  async cancel(agentId: string, jobId: string): Promise<void> {
    const holder = await this.holder(agentId);
    if (holder) await this.deps.replica.send(holder, 'relay.cancel', { agentId, jobId });
  }

  /** Drops a revoked agent's connection on whichever replica holds it. */
  async revoke(agentId: string): Promise<void> {
    const holder = await this.currentHolder(agentId);
    if (holder) await this.deps.replica.send(holder, 'relay.revoke', { agentId });
  }

  /**
   * The message announcing a result nobody here waits for, sent by its write: to the replica that dispatched
   * the job, or to every replica when this one does not know it (the job was offered again from the table).
   */
  resultNotice(jobId: string, agentId: string, frame: string): Notice {
    const body = { jobId, agentId, ...(inline(frame) ? { frame } : {}) };
    const to = this.dispatchers.get(jobId) ?? null;
    this.dispatchers.delete(jobId);
    return this.deps.replica.notice(to, 'relay.result', body);
  }

  /** Progress of a job nobody here waits for. */
  async progress(jobId: string, agentId: string, done: number, of: number): Promise<void> {
    const to = this.dispatchers.get(jobId) ?? null;
    await this.deps.replica.send(to, 'relay.progress', { jobId, agentId, done, of });
  }

  private async onJob(body: Body): Promise<void> {
    const agentId = text(body, 'agentId');
    let payload = body.payload as string | undefined;
    let signature = body.signature as string | undefined;
    if (payload === undefined || signature === undefined) {
      const job = await this.deps.store.getJob(text(body, 'jobId'));
      if (job?.state !== 'dispatched') return;
      ({ payload, signature } = job);
    }
    if (this.deps.agents.sendJob(agentId, payload, signature)) {
      this.rememberDispatcher(text(body, 'jobId'), body.dispatcher);
      return;
    }
    if (body.forwarded) return;
    // Not connected here any more (the sender's route was a moment old): once to the holder now, if any;
    // else the job stays open and is offered when the agent says hello again.
    const holder = await this.currentHolder(agentId);
    if (holder) await this.deps.replica.send(holder, 'relay.job', { ...body, forwarded: true });
  }

  private rememberDispatcher(jobId: string, dispatcher: unknown): void {
    if (typeof dispatcher !== 'string') return;
    this.dispatchers.set(jobId, dispatcher);
    // Jobs whose result never comes (the agent went away) are forgotten oldest first.
    if (this.dispatchers.size > MAX_DISPATCHERS)
      this.dispatchers.delete(this.dispatchers.keys().next().value as string);
  }

  private forget(agentId: string): void {
    this.changes += 1;
    this.known.delete(agentId);
  }

  private async onResult(body: Body): Promise<void> {
    const jobId = text(body, 'jobId');
    const waiter = this.deps.waiters.get(jobId);
    if (!waiter) return;
    const frame = (body.frame as string | undefined) ?? (await this.deps.store.getJob(jobId))?.outcome;
    if (!frame) return;
    const message = parseFrameText(frame, agentMessageSchema) as ResultMessage;
    this.deps.waiters.settle(jobId, text(body, 'agentId'), outcomeOf(message));
  }

  private warn(what: string) {
    return (error: unknown) => this.deps.log.warn({ err: errorMessage(error) }, `relay: ${what}`);
  }
}

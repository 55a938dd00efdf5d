/** The agents connected to the hub: their frames in; jobs, acknowledgements and heartbeats out. */
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { CodedError, errorMessage } from '../core/errors';
import type { Clock } from '../core/ports';
import type { Notice } from '../store/cluster-repository';
import type { RelayRepository } from '../store/relay-repository';
import { agentViews, type LiveAgent } from './hub-presence';
import type { AgentView, JobOutcome } from './hub-types';
import type { JobWaiters } from './hub-waiters';
import {
  type AgentMessage,
  agentMessageSchema,
  encode,
  frameText,
  type HelloMessage,
  type HubMessage,
  PROTOCOL_VERSION,
  parseFrameText,
  type ResultMessage,
} from './protocol';

interface Connection extends LiveAgent {
  readonly ws: WebSocket;
  readonly agentId: string;
  version: string | null;
  /** The agent said hello; it is ready (`hello`) once the hub has looked up its open jobs and welcomed it. */
  greeted: boolean;
  hello: boolean;
  /** When the agent was last heard (the clock's epoch ms). */
  lastSeen: number;
  /** When its last-seen time was last written to the store. */
  lastPersisted: number;
  /** Result acknowledgements not yet sent. */
  readonly acks: string[];
}

export interface AgentConnectionsOptions {
  readonly store: RelayRepository;
  readonly clock: Clock;
  readonly log: Pick<Logger, 'info' | 'warn'>;
  readonly heartbeatMs: number;
  readonly waiters: JobWaiters;
  /** Told when an agent says hello. */
  readonly onArrived: (agentId: string) => void;
  /** Told when an agent's current connection closes. */
  readonly onLeft?: (agentId: string) => void;
  /** The message announcing a result no engine here waits for (another replica may), sent by its write. */
  readonly unclaimedResultNotice?: (jobId: string, agentId: string, frame: string) => Notice | undefined;
  /** Progress of a job no engine here waits for. */
  readonly onUnclaimedProgress?: (jobId: string, agentId: string, done: number, of: number) => void;
}

const PERSIST_SEEN_EVERY_MS = 60_000;

/** One connection per agent id (a newer one replaces the older); results stored before they are acknowledged. */
export class AgentConnections {
  private readonly live = new Map<string, Connection>();

  constructor(private readonly options: AgentConnectionsOptions) {}

  /** Takes an authenticated WebSocket as agent `agentId`'s connection. */
  connect(ws: WebSocket, agentId: string): void {
    const { store, log } = this.options;
    this.live.get(agentId)?.ws.close(4000, 'replaced by a newer connection');
    const conn: Connection = {
      ws,
      agentId,
      version: null,
      greeted: false,
      hello: false,
      lastSeen: this.now(),
      lastPersisted: 0,
      acks: [],
    };
    this.live.set(agentId, conn);
    ws.on('message', (data) => this.onMessage(conn, data));
    ws.on('error', (error) => log.warn({ agentId, err: errorMessage(error) }, 'relay: connection error'));
    ws.on('close', () => {
      if (this.live.get(agentId) === conn) {
        this.live.delete(agentId);
        if (conn.hello) this.options.onLeft?.(agentId);
      }
      store
        .touchAgent(agentId, this.nowIso())
        .catch((error: unknown) =>
          log.warn({ agentId, err: errorMessage(error) }, 'relay: last-seen time not saved'),
        );
    });
  }

  /** True once the agent has said hello on its current connection. */
  isReady(agentId: string): boolean {
    return this.live.get(agentId)?.hello === true;
  }

  /** Sends a signed job (with any acknowledgements waiting); false when the agent is not ready. */
  sendJob(agentId: string, payload: string, signature: string): boolean {
    const conn = this.live.get(agentId);
    if (!conn?.hello) return false;
    this.deliver(conn, payload, signature);
    return true;
  }

  /** Tells the agent to drop a job the engine no longer waits for. */
  cancel(agentId: string, jobId: string): void {
    const conn = this.live.get(agentId);
    if (conn) this.send(conn, { v: PROTOCOL_VERSION, type: 'cancel', jobId });
  }

  /** Drops connections silent for three heartbeats. */
  dropSilent(): void {
    const silentSince = this.now() - 3 * this.options.heartbeatMs;
    for (const conn of this.live.values()) if (conn.lastSeen < silentSince) conn.ws.terminate();
  }

  /** Closes a revoked agent's connection now. */
  revoke(agentId: string): void {
    this.live.get(agentId)?.ws.close(4003, 'revoked');
  }

  /** Every registered agent, with live state where it is connected (`elsewhere`: on other replicas). */
  views(elsewhere?: ReadonlySet<string>): Promise<AgentView[]> {
    return agentViews(this.options.store, (agentId) => this.live.get(agentId), elsewhere);
  }

  /** Cuts every connection (the hub is closing). */
  terminateAll(): void {
    for (const conn of this.live.values()) conn.ws.terminate();
  }

  private onMessage(conn: Connection, data: RawData): void {
    const text = frameText(data);
    let message: AgentMessage;
    try {
      message = parseFrameText(text, agentMessageSchema);
      if (!conn.greeted && message.type !== 'hello')
        throw new CodedError('MALFORMED_MESSAGE', 'hello must come first.');
    } catch (error) {
      this.options.log.warn(
        { agentId: conn.agentId, err: errorMessage(error) },
        'relay: malformed frame, closing',
      );
      conn.ws.close(1008, 'malformed frame');
      return;
    }
    conn.lastSeen = this.now();
    this.handle(conn, message, text).catch((error: unknown) => {
      // A frame the store could not take (a result not recorded is not acknowledged): the agent redials and
      // sends again what it still holds.
      this.options.log.warn({ agentId: conn.agentId, err: errorMessage(error) }, 'relay: frame not handled');
      conn.ws.close(1011, 'the hub could not store that');
    });
  }

  private async handle(conn: Connection, message: AgentMessage, text: string): Promise<void> {
    switch (message.type) {
      case 'hello':
        await this.onHello(conn, message);
        break;
      case 'ack': {
        const waiter = this.options.waiters.get(message.jobId);
        if (waiter?.agentId === conn.agentId) waiter.acked = true;
        break;
      }
      case 'progress': {
        const waiter = this.options.waiters.get(message.jobId);
        if (waiter && waiter.agentId !== conn.agentId) {
          this.options.log.warn(
            { agentId: conn.agentId, jobId: message.jobId },
            'relay: progress for another agent’s job ignored',
          );
          break;
        }
        if (waiter) waiter.onProgress?.(message.done, message.of);
        else this.options.onUnclaimedProgress?.(message.jobId, conn.agentId, message.done, message.of);
        break;
      }
      case 'result':
        await this.onResult(conn, message, text);
        break;
      case 'ping':
        await this.onPing(conn, message.at);
        break;
    }
  }

  private async onHello(conn: Connection, hello: HelloMessage): Promise<void> {
    const { store, log, waiters, heartbeatMs } = this.options;
    if (hello.agentId !== conn.agentId) {
      log.warn({ agentId: conn.agentId, claimed: hello.agentId }, 'relay: hello names another agent');
      conn.ws.close(1008, 'agent id mismatch');
      return;
    }
    if (conn.greeted) {
      log.warn({ agentId: conn.agentId }, 'relay: a second hello on one connection');
      conn.ws.close(1008, 'hello sent twice');
      return;
    }
    conn.greeted = true;
    conn.version = hello.version;
    conn.lastPersisted = this.now();
    // Read before the agent counts as ready: a job dispatched from then on is sent once, not again from here.
    const open = await store.openJobs(conn.agentId, this.now());
    await store.touchAgent(conn.agentId, this.nowIso(), hello.version);
    if (this.live.get(conn.agentId) !== conn || conn.ws.readyState !== conn.ws.OPEN) return;
    conn.hello = true;
    this.send(conn, { v: PROTOCOL_VERSION, type: 'welcome', heartbeatMs });
    log.info({ agentId: conn.agentId, version: hello.version }, 'relay: agent connected');
    this.options.onArrived(conn.agentId);
    // Every open job is offered again, but for those the agent has or already acknowledged.
    const inFlight = new Set(hello.inFlight);
    for (const job of open) {
      if (inFlight.has(job.jobId) || waiters.get(job.jobId)?.acked) continue;
      this.deliver(conn, job.payload, job.signature);
    }
  }

  private async onPing(conn: Connection, at: number): Promise<void> {
    const agent = await this.options.store.getAgent(conn.agentId);
    if (!agent || agent.revokedAt) {
      conn.ws.close(4003, 'revoked');
      return;
    }
    if (this.now() - conn.lastPersisted >= PERSIST_SEEN_EVERY_MS) {
      conn.lastPersisted = this.now();
      await this.options.store.touchAgent(conn.agentId, this.nowIso());
    }
    this.send(conn, { v: PROTOCOL_VERSION, type: 'pong', at });
  }

  private async onResult(conn: Connection, message: ResultMessage, frame: string): Promise<void> {
    const { store, log, waiters } = this.options;
    const { jobId, status } = message;
    const waitedHere = waiters.get(jobId)?.agentId === conn.agentId;
    const notice = waitedHere ? undefined : this.options.unclaimedResultNotice?.(jobId, conn.agentId, frame);
    const recorded = await store.recordResult(jobId, conn.agentId, status, frame, this.nowIso(), notice);
    if (recorded === 'wrong-agent') {
      log.warn({ agentId: conn.agentId, jobId }, 'relay: result for another agent’s job ignored');
      return;
    }
    if (recorded === 'unknown-job')
      log.warn({ agentId: conn.agentId, jobId }, 'relay: result for an unknown job');
    if (recorded === 'recorded') waiters.settle(jobId, conn.agentId, outcomeOf(message));
    // Stored (or already stored) first, acknowledged second: the agent drops it from its outbox only now.
    this.ackResult(conn, jobId);
  }

  /** Queues a result-ack: it rides on the next job sent this turn, or goes out alone on the next turn. */
  private ackResult(conn: Connection, jobId: string): void {
    conn.acks.push(jobId);
    if (conn.acks.length > 1) return;
    setImmediate(() => {
      const jobIds = conn.acks.splice(0);
      if (jobIds.length > 0) this.send(conn, { v: PROTOCOL_VERSION, type: 'result-ack', jobIds });
    });
  }

  private deliver(conn: Connection, payload: string, signature: string): void {
    const acks = conn.acks.splice(0);
    this.send(conn, {
      v: PROTOCOL_VERSION,
      type: 'job',
      payload,
      signature,
      ...(acks.length > 0 ? { acks } : {}),
    });
  }

  private send(conn: Connection, message: HubMessage): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(encode(message));
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  private nowIso(): string {
    return this.options.clock.now().toISOString();
  }
}

/** The engine's view of an agent's result message. */
export function outcomeOf(message: ResultMessage): JobOutcome {
  return {
    jobId: message.jobId,
    status: message.status,
    results: message.results,
    error: message.error,
    durationMs: message.durationMs,
  };
}

/** The relay hub: authenticates agents on `/relay`, signs and dispatches jobs, stores results before acknowledging them. */
import type { KeyObject } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { CodedError, errorMessage } from '../core/errors';
import type { Clock } from '../core/ports';
import { Deadlines } from './hub-deadlines';
import { createSignedJob } from './hub-jobs';
import { Arrivals, agentViews } from './hub-presence';
import type { RelayStore } from './hub-store';
import type { DispatchRequest, JobOutcome, RelayHub } from './hub-types';
import { createUpgradeHandler } from './hub-upgrade';
import {
  type AgentMessage,
  agentMessageSchema,
  encode,
  frameText,
  type HubMessage,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  parseFrameText,
  type ResultMessage,
} from './protocol';

export interface RelayHubOptions {
  readonly store: RelayStore;
  readonly signingKey: KeyObject;
  readonly clock: Clock;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  readonly path?: string;
  readonly heartbeatMs?: number;
  readonly defaultTimeoutMs?: number;
  /** Time allowed to deliver a job before it expires unstarted. */
  readonly deliveryMs?: number;
  /** Answered jobs older than this are deleted when the hub starts (default 30 days). */
  readonly jobRetentionDays?: number;
}

interface Connection {
  readonly ws: WebSocket;
  readonly agentId: string;
  version: string | null;
  hello: boolean;
  lastSeen: number;
  lastPersisted: number;
  /** Result acknowledgements not yet sent. */
  readonly acks: string[];
}

interface Pending {
  readonly agentId: string;
  readonly resolve: (outcome: JobOutcome) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress?: (done: number, of: number) => void;
}

const silent = { info: () => undefined, warn: () => undefined };
const PERSIST_SEEN_EVERY_MS = 60_000;

/** Attaches the hub to an http(s) server: WebSocket upgrades on `path` (default `/relay`) become agent connections. */
export function attachRelayHub(server: HttpServer | HttpsServer, options: RelayHubOptions): RelayHub {
  const { store, clock } = options;
  const log = options.logger ?? silent;
  const path = options.path ?? '/relay';
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const deliveryMs = options.deliveryMs ?? 30_000;
  const retentionMs = (options.jobRetentionDays ?? 30) * 86_400_000;
  const pruned = store.pruneJobs(new Date(clock.now().getTime() - retentionMs).toISOString());
  if (pruned > 0) log.info({ pruned }, 'relay: deleted answered jobs past their retention');
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const connections = new Map<string, Connection>();
  const pending = new Map<string, Pending>();
  const arrivals = new Arrivals();
  const acked = new Set<string>();
  // The engine stops waiting for a job at its deadline: the outcome is unknown, and the agent is told to drop it.
  const deadlines = new Deadlines((jobId) => {
    const waiter = pending.get(jobId);
    if (!waiter) return;
    pending.delete(jobId);
    acked.delete(jobId);
    store.markJobUnknown(jobId, nowIso());
    const live = connections.get(waiter.agentId);
    if (live) send(live, { v: PROTOCOL_VERSION, type: 'cancel', jobId });
    waiter.reject(
      new CodedError(
        'OUTCOME_UNKNOWN',
        `No result from relay agent ${waiter.agentId} for job ${jobId} in time.`,
      ),
    );
  });
  let closed = false;

  const nowIso = () => clock.now().toISOString();
  const send = (conn: Connection, message: HubMessage) => {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(encode(message));
  };

  const onUpgrade = createUpgradeHandler({
    path,
    store,
    wss,
    isClosed: () => closed,
    warn: (details, message) => log.warn(details, message),
    onConnection: (ws, agentId) => onConnection(ws, agentId),
  });

  function onConnection(ws: WebSocket, agentId: string): void {
    const previous = connections.get(agentId);
    if (previous) previous.ws.close(4000, 'replaced by a newer connection');
    const conn: Connection = {
      ws,
      agentId,
      version: null,
      hello: false,
      lastSeen: Date.now(),
      lastPersisted: 0,
      acks: [],
    };
    connections.set(agentId, conn);
    ws.on('message', (data) => onMessage(conn, data));
    ws.on('error', (error) => log.warn({ agentId, err: errorMessage(error) }, 'relay: connection error'));
    ws.on('close', () => {
      if (connections.get(agentId) === conn) connections.delete(agentId);
      store.touchAgent(agentId, nowIso());
    });
  }

  function onMessage(conn: Connection, data: RawData): void {
    let message: AgentMessage;
    const text = frameText(data);
    try {
      message = parseFrameText(text, agentMessageSchema);
      if (!conn.hello && message.type !== 'hello')
        throw new CodedError('MALFORMED_MESSAGE', 'hello must come first.');
    } catch (error) {
      log.warn({ agentId: conn.agentId, err: errorMessage(error) }, 'relay: malformed frame, closing');
      conn.ws.close(1008, 'malformed frame');
      return;
    }
    conn.lastSeen = Date.now();
    switch (message.type) {
      case 'hello':
        onHello(conn, message);
        break;
      case 'ack':
        // Kept in memory only: after a hub restart every open job is offered again and the agent ignores
        // the ones it already has, so a durable write here would buy nothing.
        if (pending.get(message.jobId)?.agentId === conn.agentId) acked.add(message.jobId);
        break;
      case 'progress':
        pending.get(message.jobId)?.onProgress?.(message.done, message.of);
        break;
      case 'result':
        onResult(conn, message, text);
        break;
      case 'ping':
        onPing(conn, message.at);
        break;
    }
  }

  function onHello(conn: Connection, hello: Extract<AgentMessage, { type: 'hello' }>): void {
    if (hello.agentId !== conn.agentId) {
      log.warn({ agentId: conn.agentId, claimed: hello.agentId }, 'relay: hello names another agent');
      conn.ws.close(1008, 'agent id mismatch');
      return;
    }
    conn.hello = true;
    conn.version = hello.version;
    conn.lastPersisted = Date.now();
    store.touchAgent(conn.agentId, nowIso(), hello.version);
    send(conn, { v: PROTOCOL_VERSION, type: 'welcome', heartbeatMs });
    log.info({ agentId: conn.agentId, version: hello.version }, 'relay: agent connected');
    arrivals.arrived(conn.agentId);
    const inFlight = new Set(hello.inFlight);
    for (const job of store.openJobs(conn.agentId, clock.now().getTime())) {
      if (inFlight.has(job.jobId) || acked.has(job.jobId)) continue;
      sendJob(conn, job.payload, job.signature);
    }
  }

  function onPing(conn: Connection, at: number): void {
    const agent = store.getAgent(conn.agentId);
    if (!agent || agent.revokedAt) {
      conn.ws.close(4003, 'revoked');
      return;
    }
    if (Date.now() - conn.lastPersisted >= PERSIST_SEEN_EVERY_MS) {
      conn.lastPersisted = Date.now();
      store.touchAgent(conn.agentId, nowIso());
    }
    send(conn, { v: PROTOCOL_VERSION, type: 'pong', at });
  }

  function onResult(conn: Connection, message: ResultMessage, frame: string): void {
    const outcome: JobOutcome = {
      jobId: message.jobId,
      status: message.status,
      results: message.results,
      error: message.error,
      durationMs: message.durationMs,
    };
    const recorded = store.recordResult(message.jobId, conn.agentId, message.status, frame, nowIso());
    if (recorded === 'wrong-agent') {
      log.warn(
        { agentId: conn.agentId, jobId: message.jobId },
        'relay: result for another agent’s job ignored',
      );
      return;
    }
    if (recorded === 'unknown-job')
      log.warn({ agentId: conn.agentId, jobId: message.jobId }, 'relay: result for an unknown job');
    const waiter = pending.get(message.jobId);
    if (recorded === 'recorded' && waiter && waiter.agentId === conn.agentId) {
      pending.delete(message.jobId);
      acked.delete(message.jobId);
      deadlines.remove(message.jobId);
      waiter.resolve(outcome);
    }
    // Stored (or already stored) first, acknowledged second: the agent drops it from its outbox only now.
    ackResult(conn, message.jobId);
  }

  /** Queues a result-ack: it rides on the next job sent this turn, or goes out alone on the next turn. */
  function ackResult(conn: Connection, jobId: string): void {
    conn.acks.push(jobId);
    if (conn.acks.length > 1) return;
    setImmediate(() => {
      const jobIds = conn.acks.splice(0);
      if (jobIds.length > 0) send(conn, { v: PROTOCOL_VERSION, type: 'result-ack', jobIds });
    });
  }

  function sendJob(conn: Connection, payload: string, signature: string): void {
    const acks = conn.acks.splice(0);
    send(conn, {
      v: PROTOCOL_VERSION,
      type: 'job',
      payload,
      signature,
      ...(acks.length > 0 ? { acks } : {}),
    });
  }

  const sweep = setInterval(() => {
    const silentFor = Date.now() - 3 * heartbeatMs;
    for (const conn of connections.values()) if (conn.lastSeen < silentFor) conn.ws.terminate();
  }, heartbeatMs);
  sweep.unref();
  server.on('upgrade', onUpgrade);

  async function dispatch(request: DispatchRequest): Promise<JobOutcome> {
    if (closed) throw new CodedError('HUB_CLOSED', 'The relay hub is shut down.');
    const conn = connections.get(request.agentId);
    if (!conn?.hello) {
      throw new CodedError(
        'AGENT_NOT_CONNECTED',
        `Relay agent ${request.agentId} is not connected; nothing was sent.`,
      );
    }
    const timeoutMs = request.timeoutMs ?? options.defaultTimeoutMs ?? 120_000;
    const { job, payload, signature } = createSignedJob(request, {
      signingKey: options.signingKey,
      clock,
      timeoutMs,
      deliveryMs,
    });
    store.insertJob({
      jobId: job.jobId,
      agentId: job.agentId,
      runId: job.runId,
      stepId: job.stepId,
      mode: job.mode,
      payload,
      signature,
      expiresAt: job.expiresAt,
      createdAt: nowIso(),
    });
    return new Promise<JobOutcome>((resolve, reject) => {
      deadlines.add(job.jobId, Date.now() + timeoutMs + Math.min(deliveryMs, timeoutMs));
      pending.set(job.jobId, {
        agentId: job.agentId,
        resolve,
        reject,
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      });
      sendJob(conn, payload, signature);
    });
  }

  return {
    dispatch,
    isConnected: (agentId) => connections.get(agentId)?.hello === true,
    waitForAgent: (agentId, timeoutMs) =>
      arrivals.wait(agentId, connections.get(agentId)?.hello === true, timeoutMs),
    listAgents: () => agentViews(store, (agentId) => connections.get(agentId)),
    revokeAgent(agentId) {
      const found = store.revokeAgent(agentId, nowIso());
      connections.get(agentId)?.ws.close(4003, 'revoked');
      return found;
    },
    async close() {
      closed = true;
      server.off('upgrade', onUpgrade);
      clearInterval(sweep);
      deadlines.clear();
      for (const [jobId, waiter] of pending) {
        waiter.reject(
          new CodedError('OUTCOME_UNKNOWN', `The relay hub closed before job ${jobId} finished.`),
        );
      }
      pending.clear();
      for (const conn of connections.values()) conn.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

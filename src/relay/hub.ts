/** The relay hub: authenticates agents on `/relay`, signs and dispatches jobs, stores results before acknowledging them. */
import type { KeyObject } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { CodedError, errorMessage } from '../core/errors';
import type { Clock } from '../core/ports';
import type { RelayRepository } from '../store/relay-repository';
import type { Replica } from '../store/replica';
import { AgentConnections } from './hub-connections';
import { createSignedJob } from './hub-jobs';
import { Arrivals } from './hub-presence';
import { ReplicaRoutes } from './hub-routing';
import type { DispatchRequest, JobOutcome, RelayHub } from './hub-types';
import { createUpgradeHandler } from './hub-upgrade';
import { JobWaiters } from './hub-waiters';
import { MAX_FRAME_BYTES } from './protocol';

export interface RelayHubOptions {
  readonly store: RelayRepository;
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
  /**
   * This process as one of several replicas on PostgreSQL: agents connected to other replicas receive the
   * jobs dispatched here, and this hub delivers theirs (see `hub-routing.ts`). Without it, one process.
   */
  readonly replica?: Replica | null;
}

const silent = { info: () => undefined, warn: () => undefined };
const DAY_MS = 86_400_000;

/**
 * Attaches the hub to an http(s) server: WebSocket upgrades on `path` (default `/relay`) become agent
 * connections. Resolves once answered jobs past their retention are deleted.
 */
export async function attachRelayHub(
  server: HttpServer | HttpsServer,
  options: RelayHubOptions,
): Promise<RelayHub> {
  const { store, clock } = options;
  const log = options.logger ?? silent;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  await pruneAnsweredJobs(store, clock, options.jobRetentionDays ?? 30, log);
  const arrivals = new Arrivals();
  // The engine stops waiting for a job at its deadline: the outcome is unknown, and the agent is told to drop it.
  const waiters = new JobWaiters((jobId, agentId) => {
    store
      .markJobUnknown(jobId, clock.now().toISOString())
      .catch((error: unknown) =>
        log.warn({ jobId, err: errorMessage(error) }, 'relay: a given-up job could not be marked unknown'),
      );
    agents.cancel(agentId, jobId);
    routes?.cancel(agentId, jobId).catch(warnOf(log, 'a cancel not handed on'));
  });
  const agents = new AgentConnections({
    store,
    clock,
    log,
    heartbeatMs,
    waiters,
    onArrived: (agentId) => {
      arrivals.arrived(agentId);
      routes?.arrived(agentId).catch(warnOf(log, 'the agent’s route not recorded'));
    },
    onLeft: (agentId) => routes?.left(agentId).catch(warnOf(log, 'the agent’s route not cleared')),
    unclaimedResultNotice: (jobId, agentId, frame) => routes?.resultNotice(jobId, agentId, frame),
    onUnclaimedProgress: (jobId, agentId, done, of) =>
      routes?.progress(jobId, agentId, done, of).catch(warnOf(log, 'progress not handed on')),
  });
  const routes: ReplicaRoutes | null = options.replica
    ? new ReplicaRoutes({ replica: options.replica, store, agents, waiters, arrivals, log })
    : null;
  let closed = false;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const onUpgrade = createUpgradeHandler({
    path: options.path ?? '/relay',
    store,
    wss,
    isClosed: () => closed,
    warn: (details, message) => log.warn(details, message),
    onConnection: (ws, agentId) => agents.connect(ws, agentId),
  });
  server.on('upgrade', onUpgrade);
  const sweep = setInterval(() => agents.dropSilent(), heartbeatMs);
  sweep.unref();
  const dispatch = dispatcher({ ...options, agents, waiters, routes, isClosed: () => closed });
  return {
    dispatch,
    isConnected: (agentId) => agents.isReady(agentId),
    async waitForAgent(agentId, timeoutMs) {
      if (agents.isReady(agentId) || (routes && (await routes.holder(agentId)))) return true;
      return arrivals.wait(agentId, agents.isReady(agentId), timeoutMs);
    },
    listAgents: async () => agents.views(routes ? await routes.routed() : undefined),
    async revokeAgent(agentId) {
      const found = await store.revokeAgent(agentId, clock.now().toISOString());
      agents.revoke(agentId);
      await routes?.revoke(agentId);
      return found;
    },
    async close() {
      closed = true;
      server.off('upgrade', onUpgrade);
      clearInterval(sweep);
      waiters.failAll(
        (jobId) => new CodedError('OUTCOME_UNKNOWN', `The relay hub closed before job ${jobId} finished.`),
      );
      agents.terminateAll();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Deletes answered jobs past their retention, once, when the hub starts. */
async function pruneAnsweredJobs(
  store: RelayRepository,
  clock: Clock,
  retentionDays: number,
  log: Pick<Logger, 'info'>,
): Promise<void> {
  const before = new Date(clock.now().getTime() - retentionDays * DAY_MS).toISOString();
  const pruned = await store.pruneJobs(before);
  if (pruned > 0) log.info({ pruned }, 'relay: deleted answered jobs past their retention');
}

/** A warning for a message between replicas that failed (the job table still holds the truth). */
function warnOf(log: Pick<Logger, 'warn'>, what: string) {
  return (error: unknown) => log.warn({ err: errorMessage(error) }, `relay: ${what}`);
}

/**
 * Signs, stores and sends one job (down this hub's connection, or to the replica holding the agent), then
 * waits for its result until the job's timeout plus its delivery time.
 */
function dispatcher(
  options: RelayHubOptions & {
    agents: AgentConnections;
    waiters: JobWaiters;
    routes: ReplicaRoutes | null;
    isClosed: () => boolean;
  },
): (request: DispatchRequest) => Promise<JobOutcome> {
  const { store, clock, agents, waiters, routes } = options;
  const deliveryMs = options.deliveryMs ?? 30_000;
  return async (request) => {
    if (options.isClosed()) throw new CodedError('HUB_CLOSED', 'The relay hub is shut down.');
    const holder = agents.isReady(request.agentId) ? null : await routes?.holder(request.agentId);
    if (!agents.isReady(request.agentId) && !holder) {
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
    // Stored before it is sent: a hub restarted from here offers it again, and a late result finds its row.
    // A job for an agent on another replica is handed to it by the insert itself (NOTIFY on commit); not
    // received is not lost: the job stays open and is offered when the agent says hello again.
    const notice = holder ? routes?.jobNotice(holder, job.agentId, job.jobId, payload, signature) : undefined;
    // Waited for before the insert: a result handed back by another replica cannot come before its waiter.
    const outcome = waiters.wait(job, timeoutMs + Math.min(deliveryMs, timeoutMs), request.onProgress);
    const unsent = () => {
      waiters.abandon(job.jobId);
      outcome.catch(() => undefined);
    };
    try {
      await store.insertJob(
        {
          jobId: job.jobId,
          agentId: job.agentId,
          runId: job.runId,
          stepId: job.stepId,
          mode: job.mode,
          payload,
          signature,
          expiresAt: job.expiresAt,
          createdAt: clock.now().toISOString(),
        },
        notice,
      );
    } catch (error) {
      unsent();
      throw error;
    }
    if (options.isClosed()) {
      // Closed while the job was stored: marked so that no later hub offers it (the holder may have it).
      unsent();
      await store.markJobUnknown(job.jobId, clock.now().toISOString());
      throw new CodedError(
        'HUB_CLOSED',
        notice
          ? 'The relay hub is shut down; the job was handed to the replica holding the agent and its outcome is unknown.'
          : 'The relay hub is shut down; nothing was sent.',
      );
    }
    if (!holder) agents.sendJob(job.agentId, payload, signature);
    return outcome;
  };
}

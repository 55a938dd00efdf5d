/**
 * The relay agent: dials out to the hub, proves who it is, runs only jobs that pass the gate, one at a
 * time, and keeps every result in its journal until the hub acknowledges it.
 */
import type { KeyObject } from 'node:crypto';
import type { EmsCommand, EmsResult } from '../core/ems';
import { errorMessage, type RelayErrorCode } from '../core/errors';
import { type Clock, systemClock } from '../core/ports';
import { isMutating } from '../exchange/validate';
import { type ConnectionEvent, HubConnection } from './agent-connection';
import type { AgentStore, OutboxEntry } from './agent-store';
import type { JobExecutor } from './executors/types';
import { checkJob } from './job-gate';
import {
  type AgentMessage,
  encode,
  type HubMessage,
  type JobMessage,
  MAX_JOB_TTL_MS,
  PROTOCOL_VERSION,
  type ResultMessage,
} from './protocol';

/** What the agent did, for logs and for tests that watch an agent process. */
export type AgentEvent =
  | ConnectionEvent
  | {
      readonly type: 'job-accepted';
      readonly jobId: string;
      readonly cmdlets: readonly string[];
    }
  | {
      readonly type: 'job-refused';
      readonly jobId: string | null;
      readonly code: RelayErrorCode;
      readonly message: string;
    }
  | { readonly type: 'job-started'; readonly jobId: string }
  | { readonly type: 'result-sent'; readonly jobId: string; readonly status: string }
  | { readonly type: 'result-acked'; readonly jobId: string };

export interface RelayAgentOptions {
  readonly hubUrl: string;
  readonly agentId: string;
  readonly secret: string;
  /** The bot's public key, pinned: only jobs it signed run. */
  readonly botPublicKey: KeyObject;
  readonly executor: JobExecutor;
  readonly store: AgentStore;
  readonly clock?: Clock;
  readonly version?: string;
  readonly heartbeatMs?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly random?: () => number;
  readonly onEvent?: (event: AgentEvent) => void;
}

interface QueuedJob {
  readonly jobId: string;
  readonly commands: readonly EmsCommand[];
  readonly timeoutMs: number;
  cancelled: boolean;
}

/** An outbound relay agent; call start() once and stop() to shut it down gracefully. */
export class RelayAgent {
  private readonly connection: HubConnection;
  private stopping = false;
  private closed = false;
  private readonly queue: QueuedJob[] = [];
  private readonly unacked = new Set<string>();
  private readonly sentOnThisLine = new Set<string>();
  private pruneTimer: NodeJS.Timeout | null = null;
  private running: QueuedJob | null = null;
  private drained: Promise<void> = Promise.resolve();
  private readonly clock: Clock;
  private readonly emit: (event: AgentEvent) => void;

  constructor(private readonly options: RelayAgentOptions) {
    this.clock = options.clock ?? systemClock;
    this.emit = options.onEvent ?? (() => undefined);
    this.connection = new HubConnection({
      ...options,
      hello: () => ({
        v: PROTOCOL_VERSION,
        type: 'hello',
        agentId: options.agentId,
        version: options.version ?? '0.1.0',
        capabilities: [options.executor.name, 'reads-batch'],
        inFlight: [...(this.running ? [this.running.jobId] : []), ...this.queue.map((job) => job.jobId)],
      }),
      // Results that waited in the outbox go first, before anything new.
      onWelcome: () => {
        this.sentOnThisLine.clear();
        for (const entry of this.options.store.unackedResults()) this.sendResult(entry);
      },
      onMessage: (message) => this.onMessage(message),
      onEvent: this.emit,
    });
  }

  /** Settles jobs a previous process left running, then connects. */
  start(): void {
    this.prune();
    // Nonces only need keeping while their jobs could still be accepted; forget older ones hourly.
    this.pruneTimer = setInterval(() => this.prune(), 3_600_000);
    this.pruneTimer.unref();
    for (const job of this.options.store.interruptedJobs()) {
      if (job.commands.some((command) => isMutating(command.cmdlet))) {
        // It may or may not have changed the org: say so, and let the bot re-probe rather than run it again.
        this.finish(
          job.jobId,
          'interrupted',
          [],
          {
            code: 'OUTCOME_UNKNOWN',
            message: 'The agent stopped while this job ran; its outcome is unknown.',
          },
          0,
        );
      } else {
        this.enqueue({ jobId: job.jobId, commands: job.commands, timeoutMs: 120_000, cancelled: false });
      }
    }
    this.connection.connect();
  }

  /** Stops taking jobs, lets the running ones finish (up to `graceMs`), then disconnects. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    // Jobs not started yet are answered "cancelled, nothing ran" rather than left for the next start to call unknown.
    for (const job of this.queue) job.cancelled = true;
    await Promise.race([this.drained, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    await this.connection.close();
    await this.options.executor.close();
    this.closed = true;
    this.options.store.close();
  }

  private onMessage(message: Exclude<HubMessage, { type: 'welcome' | 'pong' }>): void {
    switch (message.type) {
      case 'job':
        if (message.acks) this.onResultsAcked(message.acks);
        this.onJob(message);
        return;
      case 'result-ack':
        this.onResultsAcked(message.jobIds);
        return;
      case 'cancel': {
        const queued = this.queue.find((job) => job.jobId === message.jobId);
        if (queued) queued.cancelled = true;
        return;
      }
    }
  }

  private onJob(message: JobMessage): void {
    if (this.stopping) return; // Left unacknowledged: the hub sends it again to the next connection.
    const decision = checkJob(message, {
      publicKey: this.options.botPublicKey,
      agentId: this.options.agentId,
      clock: this.clock,
    });
    if (!decision.ok) {
      this.refuse(decision.jobId, decision.code, decision.message);
      return;
    }
    const { payload, commands } = decision.job;
    const journaled = this.options.store.beginJob({
      jobId: payload.jobId,
      nonce: payload.nonce,
      expiresAt: payload.expiresAt,
      mode: payload.mode,
      commands,
    });
    if (journaled === 'replayed-nonce') {
      this.refuse(payload.jobId, 'REPLAYED_NONCE', 'This nonce was already used by another job.');
      return;
    }
    if (journaled !== 'accepted') {
      // The same job delivered again (an ack was lost): never run twice, answer with what we have.
      if (journaled.result) this.sendResult(journaled.result);
      else this.send({ v: PROTOCOL_VERSION, type: 'ack', jobId: payload.jobId });
      return;
    }
    this.ackSoon(payload.jobId);
    this.emit({
      type: 'job-accepted',
      jobId: payload.jobId,
      cmdlets: commands.map((command) => command.cmdlet),
    });
    this.enqueue({ jobId: payload.jobId, commands, timeoutMs: payload.timeoutMs, cancelled: false });
  }

  private prune(): void {
    this.options.store.prune(this.clock.now().getTime() - 2 * MAX_JOB_TTL_MS);
  }

  /** The hub stored these results: they leave the outbox. */
  private onResultsAcked(jobIds: readonly string[]): void {
    for (const jobId of jobIds) {
      this.options.store.markAcked(jobId);
      this.sentOnThisLine.delete(jobId);
      this.emit({ type: 'result-acked', jobId });
    }
  }

  /** Acknowledges a journaled job on the next turn, unless its result (which implies the ack) went first. */
  private ackSoon(jobId: string): void {
    this.unacked.add(jobId);
    setImmediate(() => {
      if (this.unacked.delete(jobId)) this.send({ v: PROTOCOL_VERSION, type: 'ack', jobId });
    });
  }

  /** Answers `rejected` for `jobId`; a refusal with no job id it can vouch for is only logged. */
  private refuse(jobId: string | null, code: RelayErrorCode, message: string): void {
    this.emit({ type: 'job-refused', jobId, code, message });
    if (!jobId) return;
    const result: ResultMessage = {
      v: PROTOCOL_VERSION,
      type: 'result',
      jobId,
      status: 'rejected',
      results: [],
      error: { code, message },
      durationMs: 0,
    };
    this.sendResult({ jobId, status: 'rejected', frame: encode(result) });
  }

  private enqueue(job: QueuedJob): void {
    this.queue.push(job);
    this.drained = this.drained.then(() => this.runNext());
  }

  private async runNext(): Promise<void> {
    const job = this.queue.shift();
    if (!job) return;
    if (job.cancelled) {
      this.finish(
        job.jobId,
        'rejected',
        [],
        { code: 'CANCELLED', message: 'The job was cancelled before it started; nothing ran.' },
        0,
      );
      return;
    }
    this.running = job;
    this.emit({ type: 'job-started', jobId: job.jobId });
    const started = performance.now();
    try {
      const outcome = await this.options.executor.run(job.commands, job.timeoutMs, (done) =>
        this.send({ v: PROTOCOL_VERSION, type: 'progress', jobId: job.jobId, done, of: job.commands.length }),
      );
      this.finish(job.jobId, outcome.status, outcome.results, null, elapsedMs(started));
    } catch (error) {
      this.finish(
        job.jobId,
        'interrupted',
        [],
        { code: 'OUTCOME_UNKNOWN', message: errorMessage(error) },
        elapsedMs(started),
      );
    } finally {
      this.running = null;
    }
  }

  private finish(
    jobId: string,
    status: ResultMessage['status'],
    results: readonly EmsResult[],
    error: ResultMessage['error'],
    durationMs: number,
  ): void {
    // A job still running when stop() gave up stays "running" in the journal: the next start reports it.
    if (this.closed) return;
    // EmsResult is the read-only view of the same JSON shape the result message carries.
    const wire = results as ResultMessage['results'];
    const result: ResultMessage = {
      v: PROTOCOL_VERSION,
      type: 'result',
      jobId,
      status,
      results: wire,
      error,
      durationMs,
    };
    const entry: OutboxEntry = { jobId, status, frame: encode(result) };
    this.options.store.finishJob(entry);
    this.sendResult(entry);
  }

  private sendResult(entry: OutboxEntry): void {
    this.unacked.delete(entry.jobId);
    // Once per connection is enough: the hub acknowledges what it got, and a new connection sends it again.
    if (this.sentOnThisLine.has(entry.jobId)) return;
    // Not connected: it stays in the outbox and goes out after the next welcome.
    if (!this.connection.ready || !this.connection.sendText(entry.frame)) return;
    this.sentOnThisLine.add(entry.jobId);
    this.emit({ type: 'result-sent', jobId: entry.jobId, status: entry.status });
  }

  private send(message: AgentMessage): void {
    this.connection.sendText(encode(message));
  }
}

/** Whole milliseconds since `started` (a performance.now() reading). */
function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}

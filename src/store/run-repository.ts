/** What the engine journals into, asynchronously: runs, the step and command journal, and the audit log. */
import type { Plan } from '../core/plan';
import type {
  AuditEntry,
  CommandRecord,
  CommandState,
  NewAuditEntry,
  RunRecord,
  RunState,
  StepRecord,
  StepState,
} from './types';

/** Which runs `listRuns` returns; every field narrows, none is required. */
export interface RunQuery {
  readonly state?: RunState | readonly RunState[];
  readonly runbook?: string;
  readonly target?: string;
  /** Who asked for the run (as journaled in `requestedBy`). */
  readonly requestedBy?: string;
  /** The run's id starts with this (any case; compared in lower case). */
  readonly idPrefix?: string;
  /** Runs created at or after this ISO time. */
  readonly since?: string;
  /** Runs created before this ISO time. */
  readonly before?: string;
  /** At most this many runs (default 50, at most 1000). */
  readonly limit?: number;
}

/** A new run as the engine starts it: always `running`, not finished, with the saved plan it executes. */
export type NewRun = Omit<RunRecord, 'finishedAt' | 'state' | 'planHash' | 'reason'> & {
  readonly plan?: Plan;
};

/** An output object a run bound to a name (`$newCertificate`), for the operations after it. */
export type BoundOutput = Readonly<Record<string, unknown>>;
export interface BoundValueRecord {
  readonly name: string;
  readonly value: BoundOutput;
}
export type NewStep = Omit<StepRecord, 'runId'>;

/** Runs, steps and commands; every write is committed before the promise resolves. */
export interface RunJournal {
  /** Creates the run with its steps, in one transaction. */
  createRun(run: NewRun, steps: readonly NewStep[]): Promise<void>;
  /** The newest unfinished run for the same runbook, target and inputs, if a process died during it. */
  findUnfinishedRun(runbook: string, target: string, inputs: string): Promise<RunRecord | null>;
  getRun(runId: string): Promise<RunRecord | null>;
  /** Runs newest first (by creation time), narrowed by `query`: for `status` and `history`. */
  listRuns(query?: RunQuery): Promise<RunRecord[]>;
  listSteps(runId: string): Promise<StepRecord[]>;
  setStepState(runId: string, stepId: string, state: StepState, error?: string | null): Promise<void>;
  /** Ends the run; `reason` says why when it stopped without finishing its steps. */
  finishRun(runId: string, state: Exclude<RunState, 'running'>, at: string, reason?: string): Promise<void>;
  /** The saved plan the run executes; CORRUPT_PLAN when it no longer matches the schema, null for none. */
  getRunPlan(runId: string): Promise<Plan | null>;
  /**
   * Records a command as started, durably, before it is sent; with `sent`, the audit entry saying it was sent is
   * written in the same transaction. Resolves with that entry's sequence number (null without one).
   */
  startCommand(
    runId: string,
    stepId: string,
    text: string,
    at: string,
    sent?: NewAuditEntry,
  ): Promise<number | null>;
  /**
   * Records a command's answer; the value it binds and the audit entry completing its `sent` entry are written in
   * the same transaction, so a crash never leaves one without the others.
   */
  finishCommand(
    runId: string,
    text: string,
    state: Exclude<CommandState, 'started'>,
    durationMs: number,
    result: string,
    also?: { readonly bound?: BoundValueRecord; readonly completion?: NewAuditEntry },
  ): Promise<void>;
  /** Records what a name holds in this run (a command's output, or what a re-probe found already made). */
  bindValue(runId: string, name: string, value: BoundOutput): Promise<void>;
  /** Every name the run bound, with its value. */
  listValues(runId: string): Promise<Map<string, BoundOutput>>;
  /** Every command of the run, in the order first started; used to never send one twice. */
  listCommands(runId: string): Promise<CommandRecord[]>;
}

/** Which audit entries to read: those of one run (an id prefix), after skipping the newest `offset`. */
export interface AuditFilter {
  readonly runIdPrefix?: string;
  /** Only entries audited under this target (one org's, when the bot serves many). */
  readonly target?: string;
  readonly offset?: number;
}

/** The append-only audit log: the database refuses to change or delete an entry. */
export interface AuditLog {
  /** Appends an entry and resolves with its sequence number (a later entry may complete it). */
  appendAudit(entry: NewAuditEntry): Promise<number>;
  /**
   * The newest `limit` entries (default 200), oldest first; `filter` keeps a run's entries (by id prefix) and skips
   * the `offset` newest (paging back).
   */
  listAudit(limit?: number, filter?: AuditFilter): Promise<AuditEntry[]>;
}

/** Everything the old synchronous `RunStore` did, as promises, plus `listRuns`. */
export interface RunRepository extends RunJournal, AuditLog {}

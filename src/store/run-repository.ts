/** What the engine journals into, asynchronously: runs, the step and command journal, and the audit log. */
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

/** A new run as the engine starts it: always `running`, not finished. */
export type NewRun = Omit<RunRecord, 'finishedAt' | 'state'>;
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
  finishRun(runId: string, state: Exclude<RunState, 'running'>, at: string): Promise<void>;
  /** Records a mutating command as started, durably, before it is sent. */
  startCommand(runId: string, stepId: string, text: string, at: string): Promise<void>;
  finishCommand(
    runId: string,
    text: string,
    state: Exclude<CommandState, 'started'>,
    durationMs: number,
    result: string,
  ): Promise<void>;
  /** Every command of the run, in the order first started; used to never send one twice. */
  listCommands(runId: string): Promise<CommandRecord[]>;
}

/** The append-only audit log: the database refuses to change or delete an entry. */
export interface AuditLog {
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** The newest `limit` entries (default 200), oldest first. */
  listAudit(limit?: number): Promise<AuditEntry[]>;
}

/** Everything the old synchronous `RunStore` did, as promises, plus `listRuns`. */
export interface RunRepository extends RunJournal, AuditLog {}

/** The records of runs, the step journal, and the append-only audit log (see run-repository.ts). */

/** `interrupted`: the process running it stopped, and it was not resumed (its reason says why). */
export type RunState = 'running' | 'succeeded' | 'failed' | 'interrupted';
export type StepState = 'pending' | 'running' | 'succeeded' | 'skipped' | 'failed';
export type CommandState = 'started' | 'succeeded' | 'failed';

export interface RunRecord {
  readonly id: string;
  readonly runbook: string;
  /** Where the run applies: the lab file or the org it targets. */
  readonly target: string;
  /** The validated inputs, as JSON. */
  readonly inputs: string;
  readonly requestedBy: string;
  readonly approvedBy: string | null;
  readonly state: RunState;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  /** The hash of the saved plan the run executes (runs made before saved plans have none). */
  readonly planHash?: string;
  /** Why the run stopped without finishing its steps (interrupted, or the org moved). */
  readonly reason?: string;
}

export interface StepRecord {
  readonly runId: string;
  readonly stepId: string;
  readonly position: number;
  readonly title: string;
  readonly state: StepState;
  readonly change: string;
  readonly error: string | null;
}

export interface CommandRecord {
  readonly runId: string;
  readonly stepId: string;
  /** The command as shown to admins (exact PowerShell, or the Graph request). */
  readonly text: string;
  readonly state: CommandState;
  readonly startedAt: string;
  readonly durationMs: number | null;
  readonly result: string | null;
  /** The audit entry written when it was (last) sent, which its result completes. */
  readonly sentAs?: number;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly runId: string | null;
  readonly runbook: string | null;
  readonly target: string | null;
  readonly detail: string;
  readonly outcome: string | null;
  readonly durationMs: number | null;
  /** The entry this one completes: a command's result completes the entry written when it was sent. */
  readonly completes?: number;
}

export type NewAuditEntry = Omit<AuditEntry, 'seq'>;

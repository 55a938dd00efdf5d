/** What every part of one run shares: the request, the saved plan, the values bound so far, and how it reports. */
import type { Logger } from '../../config/logger';
import type { Plan } from '../../core/plan';
import type { Runbook, RunbookInputs, RunbookStep } from '../../runbooks/types';
import type { RunRepository } from '../../store/run-repository';
import type { CommandRecord, NewAuditEntry, StepRecord } from '../../store/types';
import type { BoundValue, Change } from '../plan-types';
import type { PlanDeps } from '../planner';

export type ProgressEvent =
  | {
      readonly type: 'run.started';
      readonly runId: string;
      readonly resumed: boolean;
      readonly steps: number;
    }
  | { readonly type: 'step.started'; readonly runId: string; readonly stepId: string; readonly title: string }
  | {
      readonly type: 'command.started';
      readonly runId: string;
      readonly stepId: string;
      readonly command: string;
    }
  | {
      readonly type: 'step.finished';
      readonly runId: string;
      readonly stepId: string;
      readonly title: string;
      readonly state: 'succeeded' | 'skipped' | 'failed';
      readonly detail: string;
    }
  | { readonly type: 'run.finished'; readonly runId: string; readonly state: RunEnd };

/** How a run ends: every step done, a step failed (or the org moved), or it stopped with an outcome unknown. */
export type RunEnd = 'succeeded' | 'failed' | 'interrupted';

/** The moments right after a durable write of a run; the crash tests stop the process at one of them. */
export type Checkpoint = 'run.created' | 'command.sent' | 'command.answered' | 'command.finished';

/** The journal and audit log a run writes; every write is awaited, so it is committed before the run goes on. */
export type RunStore = Pick<
  RunRepository,
  | 'createRun'
  | 'findUnfinishedRun'
  | 'getRun'
  | 'getRunPlan'
  | 'listSteps'
  | 'setStepState'
  | 'finishRun'
  | 'startCommand'
  | 'finishCommand'
  | 'listCommands'
  | 'bindValue'
  | 'listValues'
  | 'appendAudit'
>;

export interface ApplyDeps extends PlanDeps {
  readonly store: RunStore;
  /** Progress also goes to the log, at info level, for operators. */
  readonly logger?: Pick<Logger, 'info'>;
  /** Called right after each durable write of a run with its label; the crash tests' hook, nothing else uses it. */
  readonly checkpoint?: (label: Checkpoint) => void;
}

export interface ApplyRequest {
  readonly runbook: Runbook;
  readonly inputs: RunbookInputs;
  /** Where the run applies (lab file path, org name): a resumed run must target the same place. */
  readonly target: string;
  readonly requestedBy: string;
  readonly approvedBy: string | null;
  /** Told of every step as it happens; a promise it returns is awaited before the run goes on. */
  readonly onProgress?: (event: ProgressEvent) => unknown;
  /** Cancels the run between steps: the step in progress finishes and is journaled, later steps do not start. */
  readonly signal?: AbortSignal;
}

export interface StepOutcome {
  readonly id: string;
  readonly title: string;
  readonly change: Change;
  readonly state: StepRecord['state'];
  readonly detail: string;
  readonly commands: readonly string[];
  /** False for a step the run never came to (it stopped, or was cancelled, before it). */
  readonly reached: boolean;
}

export interface ApplyResult {
  readonly runId: string;
  readonly resumed: boolean;
  readonly state: RunEnd;
  readonly steps: readonly StepOutcome[];
  readonly error: string | null;
  /** Set when the run stopped because the org no longer matches the plan: plan again. */
  readonly orgMoved?: boolean;
}

export interface RunContext {
  readonly request: ApplyRequest;
  readonly deps: ApplyDeps;
  readonly runId: string;
  readonly plan: Plan;
  readonly steps: ReadonlyMap<string, RunbookStep>;
  /** What the run's operations bound so far, filled from the journal on resume. */
  readonly values: Map<string, BoundValue>;
  /** The command journal by text, kept current as the run writes it. */
  readonly journal: Map<string, CommandRecord>;
  /** Texts of commands found not applied after a restart: sent once more. */
  readonly resend: Set<string>;
  emit(event: ProgressEvent): Promise<void>;
  /** An audit entry of this run, by the requester. */
  entry(action: string, detail: string, outcome?: string | null, durationMs?: number | null): NewAuditEntry;
  audit(action: string, detail: string, outcome?: string | null): Promise<number>;
  checkpoint(label: Checkpoint): void;
}

/** The context of run `runId` executing `plan`. */
export function runContext(
  request: ApplyRequest,
  deps: ApplyDeps,
  runId: string,
  plan: Plan,
  state: { values?: Map<string, BoundValue>; journal?: readonly CommandRecord[] } = {},
): RunContext {
  const entry = (
    action: string,
    detail: string,
    outcome: string | null = null,
    durationMs: number | null = null,
  ): NewAuditEntry => ({
    at: deps.clock.now().toISOString(),
    actor: request.requestedBy,
    action,
    runId,
    runbook: request.runbook.name,
    target: request.target,
    detail,
    outcome,
    durationMs,
  });
  return {
    request,
    deps,
    runId,
    plan,
    steps: new Map(request.runbook.steps(request.inputs).map((step) => [step.id, step])),
    values: state.values ?? new Map(),
    journal: new Map((state.journal ?? []).map((record) => [record.text, record])),
    resend: new Set(),
    async emit(event) {
      deps.logger?.info(event, event.type);
      await request.onProgress?.(event);
    },
    entry,
    audit: (action, detail, outcome = null) => deps.store.appendAudit(entry(action, detail, outcome)),
    checkpoint: (label) => deps.checkpoint?.(label),
  };
}

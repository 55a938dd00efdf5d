/**
 * Apply: run the changing steps in order, journaled so that a killed process resumes where it stopped.
 * Every step is re-probed right before it runs, so a step whose outcome was unknown is judged by the
 * org's real state, and the journal refuses to send any mutating command twice in one run.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../config/logger';
import { CodedError } from '../core/errors';
import type { Runbook, RunbookInputs } from '../runbooks/types';
import type { RunStore, StepRecord } from '../store/types';
import { isMutatingAction, renderAction, runAction } from './actions';
import { diffStep } from './diff';
import type { Change } from './plan-types';
import { type PlanDeps, planRunbook } from './planner';
import { emptyProjection } from './projection';
import { takeSnapshot } from './snapshot';

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
  | { readonly type: 'run.finished'; readonly runId: string; readonly state: 'succeeded' | 'failed' };

export interface ApplyDeps extends PlanDeps {
  readonly store: RunStore;
  /** Progress also goes to the log, at info level, for operators. */
  readonly logger?: Pick<Logger, 'info'>;
}

export interface ApplyRequest {
  readonly runbook: Runbook;
  readonly inputs: RunbookInputs;
  /** Where the run applies (lab file path, org name): a resumed run must target the same place. */
  readonly target: string;
  readonly requestedBy: string;
  readonly approvedBy: string | null;
  readonly onProgress?: (event: ProgressEvent) => void;
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
}

export interface ApplyResult {
  readonly runId: string;
  readonly resumed: boolean;
  readonly state: 'succeeded' | 'failed';
  readonly steps: readonly StepOutcome[];
  readonly error: string | null;
}

/** Applies a runbook (or resumes its unfinished run), journaling every mutating command before it is sent. */
export async function applyRunbook(request: ApplyRequest, deps: ApplyDeps): Promise<ApplyResult> {
  const { runbook, inputs } = request;
  const { store } = deps;
  if (runbook.caution && !inputs.acknowledged) {
    throw new CodedError(
      'CAUTION_NOT_ACKNOWLEDGED',
      `Runbook ${runbook.name} needs an explicit acknowledgement: ${runbook.caution}`,
    );
  }
  const inputsJson = JSON.stringify(inputs);
  const emit = (event: ProgressEvent) => {
    deps.logger?.info(event, event.type);
    request.onProgress?.(event);
  };
  const audit = (
    action: string,
    runId: string,
    detail: string,
    outcome: string | null = null,
    durationMs: number | null = null,
  ) =>
    store.appendAudit({
      at: deps.clock.now().toISOString(),
      actor: request.requestedBy,
      action,
      runId,
      runbook: runbook.name,
      target: request.target,
      detail,
      outcome,
      durationMs,
    });

  const unfinished = store.findUnfinishedRun(runbook.name, request.target, inputsJson);
  let runId: string;
  if (unfinished) {
    runId = unfinished.id;
    audit('run.resumed', runId, `resumed by ${request.requestedBy}`);
  } else {
    const { plan, diffs } = await planRunbook(runbook, inputs, deps);
    runId = randomUUID();
    store.createRun(
      {
        id: runId,
        runbook: runbook.name,
        target: request.target,
        inputs: inputsJson,
        requestedBy: request.requestedBy,
        approvedBy: request.approvedBy,
        createdAt: deps.clock.now().toISOString(),
      },
      plan.steps.map((step, position) => ({
        stepId: step.id,
        position,
        title: step.title,
        state: diffs.get(step.id)?.change === 'none' ? 'skipped' : 'pending',
        change: step.change,
        error: null,
      })),
    );
    audit(
      'run.started',
      runId,
      `requested by ${request.requestedBy}; approved by ${request.approvedBy ?? 'nobody (CLI --yes)'}; plan ${plan.hash}`,
    );
  }
  const records = store.listSteps(runId);
  emit({ type: 'run.started', runId, resumed: Boolean(unfinished), steps: records.length });

  const steps = runbook.steps(inputs);
  const outcomes: StepOutcome[] = [];
  let failure: string | null = null;
  for (const step of steps) {
    const record = records.find((candidate) => candidate.stepId === step.id);
    if (!record)
      throw new CodedError('STEP_FAILED', `Run ${runId} has no journal entry for step ${step.id}.`);
    const needsRun = record.state !== 'succeeded' && record.state !== 'skipped';
    if (!failure && needsRun && request.signal?.aborted) failure = `Cancelled before step "${step.title}".`;
    if (failure) {
      outcomes.push({
        id: step.id,
        title: step.title,
        change: record.change as Change,
        state: record.state,
        detail: 'not run',
        commands: [],
      });
      continue;
    }
    if (record.state === 'succeeded' || record.state === 'skipped') {
      const detail = record.state === 'skipped' ? 'already in place' : 'done earlier in this run';
      emit({ type: 'step.finished', runId, stepId: step.id, title: step.title, state: record.state, detail });
      outcomes.push({
        id: step.id,
        title: step.title,
        change: record.change as Change,
        state: record.state,
        detail,
        commands: [],
      });
      continue;
    }
    emit({ type: 'step.started', runId, stepId: step.id, title: step.title });
    store.setStepState(runId, step.id, 'running');
    const snapshot = await takeSnapshot([step], inputs, deps.ems, deps.graph);
    const diff = diffStep(step, snapshot, emptyProjection(), inputs, deps.clock.now());
    const journal = store.listCommands(runId);
    const sent: string[] = [];
    let stepError: string | null = null;
    for (const action of diff.actions.filter(isMutatingAction)) {
      const text = renderAction(action);
      const prior = journal.find((entry) => entry.text === text);
      // A command already answered in this run is never sent again; one only started (process killed
      // before the answer was journaled) is sent again only because the fresh probe shows it did not take effect.
      if (prior && prior.state !== 'started') {
        stepError = `${text} was already sent in this run (${prior.state}) yet the org still needs it; plan again after checking the object.`;
        break;
      }
      emit({ type: 'command.started', runId, stepId: step.id, command: text });
      const startedAt = Date.now();
      store.startCommand(runId, step.id, text, deps.clock.now().toISOString());
      const outcome = await runAction(action, deps.ems, deps.graph);
      const durationMs = Date.now() - startedAt;
      const resultText = outcome.ok ? outcome.summary : outcome.error;
      store.finishCommand(runId, text, outcome.ok ? 'succeeded' : 'failed', durationMs, resultText);
      audit(
        'command',
        runId,
        text,
        outcome.ok ? `succeeded: ${resultText}` : `failed: ${resultText}`,
        durationMs,
      );
      sent.push(text);
      if (!outcome.ok) {
        stepError = outcome.error;
        break;
      }
    }
    if (stepError) {
      store.setStepState(runId, step.id, 'failed', stepError);
      emit({
        type: 'step.finished',
        runId,
        stepId: step.id,
        title: step.title,
        state: 'failed',
        detail: stepError,
      });
      outcomes.push({
        id: step.id,
        title: step.title,
        change: diff.change,
        state: 'failed',
        detail: stepError,
        commands: sent,
      });
      failure = `Step "${step.title}" failed: ${stepError}`;
      continue;
    }
    const state = diff.change === 'none' && sent.length === 0 ? 'skipped' : 'succeeded';
    store.setStepState(runId, step.id, state);
    const detail = state === 'skipped' ? `already in place: ${diff.detail}` : diff.detail;
    emit({ type: 'step.finished', runId, stepId: step.id, title: step.title, state, detail });
    outcomes.push({ id: step.id, title: step.title, change: diff.change, state, detail, commands: sent });
  }

  const state = failure ? 'failed' : 'succeeded';
  store.finishRun(runId, state, deps.clock.now().toISOString());
  audit('run.finished', runId, failure ?? `${runbook.name} applied`, state);
  emit({ type: 'run.finished', runId, state });
  return { runId, resumed: Boolean(unfinished), state, steps: outcomes, error: failure };
}

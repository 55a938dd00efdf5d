/**
 * Apply: run the changing steps in order, journaled so that a killed process resumes where it stopped.
 * Every step is re-probed right before it runs, so a step whose outcome was unknown is judged by the
 * org's real state, and the journal refuses to send any mutating command twice in one run.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../config/logger';
import { CodedError } from '../core/errors';
import type { Runbook, RunbookInputs, RunbookStep } from '../runbooks/types';
import type { RunRepository } from '../store/run-repository';
import type { CommandRecord, StepRecord } from '../store/types';
import { isMutatingAction, renderAction, runAction } from './actions';
import { diffStep } from './diff';
import type { Action, Change } from './plan-types';
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
  /** The run journal and audit log; every write is awaited, so it is committed before the engine goes on. */
  readonly store: Pick<RunRepository, Exclude<keyof RunRepository, 'listRuns' | 'getRun' | 'listAudit'>>;
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
}

export interface ApplyResult {
  readonly runId: string;
  readonly resumed: boolean;
  readonly state: 'succeeded' | 'failed';
  readonly steps: readonly StepOutcome[];
  readonly error: string | null;
}

/** What every part of one run shares: the request, its dependencies, and how it reports. */
interface RunContext {
  readonly request: ApplyRequest;
  readonly deps: ApplyDeps;
  readonly runId: string;
  emit(event: ProgressEvent): Promise<void>;
  audit(action: string, detail: string, outcome?: string | null, durationMs?: number | null): Promise<void>;
}

function runContext(request: ApplyRequest, deps: ApplyDeps, runId: string): RunContext {
  return {
    request,
    deps,
    runId,
    async emit(event) {
      deps.logger?.info(event, event.type);
      await request.onProgress?.(event);
    },
    audit: (action, detail, outcome = null, durationMs = null) =>
      deps.store.appendAudit({
        at: deps.clock.now().toISOString(),
        actor: request.requestedBy,
        action,
        runId,
        runbook: request.runbook.name,
        target: request.target,
        detail,
        outcome,
        durationMs,
      }),
  };
}

/** Applies a runbook (or resumes its unfinished run), journaling every mutating command before it is sent. */
export async function applyRunbook(request: ApplyRequest, deps: ApplyDeps): Promise<ApplyResult> {
  const { runbook, inputs } = request;
  if (runbook.caution && !inputs.acknowledged) {
    throw new CodedError(
      'CAUTION_NOT_ACKNOWLEDGED',
      `Runbook ${runbook.name} needs an explicit acknowledgement: ${runbook.caution}`,
    );
  }
  const { run, resumed } = await startOrResume(request, deps);
  const records = await deps.store.listSteps(run.runId);
  await run.emit({ type: 'run.started', runId: run.runId, resumed, steps: records.length });

  const outcomes: StepOutcome[] = [];
  let failure: string | null = null;
  for (const step of runbook.steps(inputs)) {
    const record = records.find((candidate) => candidate.stepId === step.id);
    if (!record)
      throw new CodedError('STEP_FAILED', `Run ${run.runId} has no journal entry for step ${step.id}.`);
    const needsRun = record.state !== 'succeeded' && record.state !== 'skipped';
    if (!failure && needsRun && request.signal?.aborted) failure = `Cancelled before step "${step.title}".`;
    if (failure) {
      outcomes.push({ ...stepOf(step, record), state: record.state, detail: 'not run', commands: [] });
      continue;
    }
    const outcome = await (needsRun ? runStep(run, step) : alreadyDone(run, step, record));
    outcomes.push(outcome);
    if (outcome.state === 'failed') failure = `Step "${step.title}" failed: ${outcome.detail}`;
  }

  const state = failure ? 'failed' : 'succeeded';
  await deps.store.finishRun(run.runId, state, deps.clock.now().toISOString());
  await run.audit('run.finished', failure ?? `${runbook.name} applied`, state);
  await run.emit({ type: 'run.finished', runId: run.runId, state });
  return { runId: run.runId, resumed, state, steps: outcomes, error: failure };
}

/** Resumes the unfinished run for the same runbook, target and inputs, or plans and journals a new one. */
async function startOrResume(
  request: ApplyRequest,
  deps: ApplyDeps,
): Promise<{ run: RunContext; resumed: boolean }> {
  const { runbook, inputs } = request;
  const inputsJson = JSON.stringify(inputs);
  const unfinished = await deps.store.findUnfinishedRun(runbook.name, request.target, inputsJson);
  if (unfinished) {
    const run = runContext(request, deps, unfinished.id);
    await run.audit('run.resumed', `resumed by ${request.requestedBy}`);
    return { run, resumed: true };
  }
  const { plan, diffs } = await planRunbook(runbook, inputs, deps);
  const run = runContext(request, deps, randomUUID());
  await deps.store.createRun(
    {
      id: run.runId,
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
  await run.audit(
    'run.started',
    `requested by ${request.requestedBy}; approved by ${request.approvedBy ?? 'nobody (CLI --yes)'}; plan ${plan.hash}`,
  );
  return { run, resumed: false };
}

function stepOf(step: RunbookStep, record: StepRecord): Pick<StepOutcome, 'id' | 'title' | 'change'> {
  return { id: step.id, title: step.title, change: record.change as Change };
}

/** A step the journal already shows as done (earlier in this run, or in place from the start). */
async function alreadyDone(run: RunContext, step: RunbookStep, record: StepRecord): Promise<StepOutcome> {
  const state = record.state === 'skipped' ? 'skipped' : 'succeeded';
  const detail = state === 'skipped' ? 'already in place' : 'done earlier in this run';
  await run.emit({
    type: 'step.finished',
    runId: run.runId,
    stepId: step.id,
    title: step.title,
    state,
    detail,
  });
  return { ...stepOf(step, record), state, detail, commands: [] };
}

/** Re-probes one step, sends the mutating commands it still needs, and journals how it ended. */
async function runStep(run: RunContext, step: RunbookStep): Promise<StepOutcome> {
  const { deps, request, runId } = run;
  await run.emit({ type: 'step.started', runId, stepId: step.id, title: step.title });
  await deps.store.setStepState(runId, step.id, 'running');
  const snapshot = await takeSnapshot([step], request.inputs, deps.ems, deps.graph);
  const diff = diffStep(step, snapshot, emptyProjection(), request.inputs, deps.clock.now());
  const { sent, error } = await sendCommands(run, step, diff.actions.filter(isMutatingAction));
  const base = { id: step.id, title: step.title, change: diff.change, commands: sent };
  if (error) {
    await deps.store.setStepState(runId, step.id, 'failed', error);
    await run.emit({
      type: 'step.finished',
      runId,
      stepId: step.id,
      title: step.title,
      state: 'failed',
      detail: error,
    });
    return { ...base, state: 'failed', detail: error };
  }
  const state = diff.change === 'none' && sent.length === 0 ? 'skipped' : 'succeeded';
  await deps.store.setStepState(runId, step.id, state);
  const detail = state === 'skipped' ? `already in place: ${diff.detail}` : diff.detail;
  await run.emit({ type: 'step.finished', runId, stepId: step.id, title: step.title, state, detail });
  return { ...base, state, detail };
}

/** Sends a step's mutating commands in order, each journaled as started before it goes out; stops at the first failure. */
async function sendCommands(
  run: RunContext,
  step: RunbookStep,
  actions: readonly Action[],
): Promise<{ sent: string[]; error: string | null }> {
  const { deps, runId } = run;
  const journal: readonly CommandRecord[] = actions.length > 0 ? await deps.store.listCommands(runId) : [];
  const sent: string[] = [];
  for (const action of actions) {
    const text = renderAction(action);
    const prior = journal.find((entry) => entry.text === text);
    // A command already answered in this run is never sent again; one only started (process killed
    // before the answer was journaled) is sent again only because the fresh probe shows it did not take effect.
    if (prior && prior.state !== 'started') {
      const error = `${text} was already sent in this run (${prior.state}) yet the org still needs it; plan again after checking the object.`;
      return { sent, error };
    }
    await run.emit({ type: 'command.started', runId, stepId: step.id, command: text });
    const startedAt = performance.now();
    await deps.store.startCommand(runId, step.id, text, deps.clock.now().toISOString());
    const outcome = await runAction(action, deps.ems, deps.graph);
    const durationMs = Math.round(performance.now() - startedAt);
    const resultText = outcome.ok ? outcome.summary : outcome.error;
    await deps.store.finishCommand(runId, text, outcome.ok ? 'succeeded' : 'failed', durationMs, resultText);
    const audited = outcome.ok ? `succeeded: ${resultText}` : `failed: ${resultText}`;
    await run.audit('command', text, audited, durationMs);
    sent.push(text);
    if (!outcome.ok) return { sent, error: outcome.error };
  }
  return { sent, error: null };
}

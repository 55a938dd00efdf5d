/** Executing a saved plan's steps in order: exactly their operations, each mutating one at most once. */
import type { PlanStep } from '../../core/plan';
import type { StepRecord } from '../../store/types';
import type { ApplyResult, RunContext, RunEnd, StepOutcome } from './context';
import { runStepOperations, type StepEnd } from './step';

function outcomeOf(
  step: PlanStep,
  state: StepRecord['state'],
  detail: string,
  commands: string[] = [],
  reached = true,
): StepOutcome {
  return { id: step.id, title: step.title, change: step.change, state, detail, commands, reached };
}

/** A step the journal already shows as done (earlier in this run, or in place from the start). */
async function alreadyDone(ctx: RunContext, step: PlanStep, record: StepRecord): Promise<StepOutcome> {
  const state = record.state === 'skipped' ? 'skipped' : 'succeeded';
  const detail = state === 'skipped' ? 'already in place' : 'done earlier in this run';
  await ctx.emit({
    type: 'step.finished',
    runId: ctx.runId,
    stepId: step.id,
    title: step.title,
    state,
    detail,
  });
  return outcomeOf(step, state, detail);
}

/** Runs one step's operations and journals how it ended. */
async function runStep(ctx: RunContext, step: PlanStep): Promise<{ outcome: StepOutcome; end: StepEnd }> {
  const { deps, runId } = ctx;
  await ctx.emit({ type: 'step.started', runId, stepId: step.id, title: step.title });
  await deps.store.setStepState(runId, step.id, 'running');
  const end = await runStepOperations(ctx, step);
  const state =
    end.kind === 'done'
      ? end.sent.length === 0 && step.change === 'none'
        ? 'skipped'
        : 'succeeded'
      : 'failed';
  const detail = end.kind === 'done' ? step.detail : end.error;
  await deps.store.setStepState(runId, step.id, state, state === 'failed' ? detail : null);
  await ctx.emit({ type: 'step.finished', runId, stepId: step.id, title: step.title, state, detail });
  return { outcome: outcomeOf(step, state, detail, end.kind === 'done' ? end.sent : []), end };
}

/** How the run ended, from the first step that did not finish. */
function runEnd(end: StepEnd | null): { state: RunEnd; error: string | null; orgMoved: boolean } {
  if (!end || end.kind === 'done') return { state: 'succeeded', error: null, orgMoved: false };
  return {
    state: end.kind === 'interrupted' ? 'interrupted' : 'failed',
    error: end.error,
    orgMoved: end.kind === 'moved',
  };
}

/** Executes every unfinished step, stopping at the first that fails, is cancelled or finds the org moved. */
export async function executeRun(ctx: RunContext, resumed: boolean): Promise<ApplyResult> {
  const { deps, request, runId } = ctx;
  const records = new Map((await deps.store.listSteps(runId)).map((record) => [record.stepId, record]));
  await ctx.emit({ type: 'run.started', runId, resumed, steps: records.size });
  const outcomes: StepOutcome[] = [];
  let stopped: StepEnd | null = null;
  for (const step of ctx.plan.steps) {
    const record = records.get(step.id);
    const done = record?.state === 'succeeded' || record?.state === 'skipped';
    if (!stopped && !done && request.signal?.aborted)
      stopped = { kind: 'failed', error: `Cancelled before step "${step.title}".` };
    if (stopped || !record) {
      outcomes.push(outcomeOf(step, record?.state ?? 'pending', 'not run', [], false));
      continue;
    }
    if (done) {
      outcomes.push(await alreadyDone(ctx, step, record));
      continue;
    }
    const { outcome, end } = await runStep(ctx, step);
    outcomes.push(outcome);
    if (end.kind !== 'done') stopped = end;
  }
  const { state, error, orgMoved } = runEnd(stopped);
  await deps.store.finishRun(runId, state, deps.clock.now().toISOString(), error ?? undefined);
  await ctx.audit('run.finished', error ?? `${ctx.plan.runbook} applied`, state);
  await ctx.emit({ type: 'run.finished', runId, state });
  return { runId, resumed, state, steps: outcomes, error, ...(orgMoved ? { orgMoved } : {}) };
}

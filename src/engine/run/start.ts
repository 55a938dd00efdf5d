/**
 * Starting and resuming runs of a saved plan. A run probes once at its start: a new run checks the plan still
 * holds (same operations hash at the plan's time); a resumed one re-diffs what is left and judges each command
 * whose answer was lost. Then only the plan's operations run.
 */
import { randomUUID } from 'node:crypto';
import { CodedError, errorMessage } from '../../core/errors';
import type { Plan } from '../../core/plan';
import type { StepRecord } from '../../store/types';
import type { ApplyDeps, ApplyRequest, ApplyResult, RunContext } from './context';
import { runContext } from './context';
import { executeRun } from './execute';
import { judgeStep, stepProgress } from './judge';
import { type PlanProbe, probePlan } from './probe';
import { recordFound, recordUnknown } from './send';
import { notApplied } from './step';

export type PlanRunOutcome =
  | { readonly kind: 'ran'; readonly result: ApplyResult }
  /** The org no longer matches the plan: nothing (more) was run; `fresh` is the plan to approve now. */
  | { readonly kind: 'stale'; readonly fresh: Plan; readonly reason: string; readonly runId: string | null };

/** The request's signal was aborted during the start probe: no run was journaled and nothing was sent. */
export type CancelledBeforeStart = { readonly kind: 'cancelled'; readonly runId: null };

/** Refuses a runbook with a caution that was not acknowledged. */
export function refuseUnacknowledged(request: ApplyRequest): void {
  const { runbook, inputs } = request;
  if (runbook.caution && !inputs.acknowledged) {
    throw new CodedError(
      'CAUTION_NOT_ACKNOWLEDGED',
      `Runbook ${runbook.name} needs an explicit acknowledgement: ${runbook.caution}`,
    );
  }
}

function checkPlanFits(plan: Plan, request: ApplyRequest): void {
  if (plan.runbook !== request.runbook.name) {
    throw new CodedError('BAD_PLAN', `The plan is for runbook ${plan.runbook}, not ${request.runbook.name}.`);
  }
}

/**
 * Runs a saved plan: probes once to confirm it still holds (skipped when it was `confirmed` by being made just
 * now), journals a new run, then executes exactly its operations.
 */
export async function applyPlan(
  plan: Plan,
  request: ApplyRequest,
  deps: ApplyDeps,
  options: { readonly confirmed?: boolean } = {},
): Promise<PlanRunOutcome | CancelledBeforeStart> {
  refuseUnacknowledged(request);
  checkPlanFits(plan, request);
  if (!options.confirmed) {
    const probe = await probePlan(request.runbook, request.inputs, plan, deps);
    if (probe.atPlanTime.plan.hash !== plan.hash) {
      const reason = 'The org changed since the plan was made, so its operations differ; nothing was run.';
      return { kind: 'stale', fresh: probe.fresh(), reason, runId: null };
    }
    if (request.signal?.aborted) return { kind: 'cancelled', runId: null };
  }
  const runId = randomUUID();
  await deps.store.createRun(
    {
      id: runId,
      runbook: plan.runbook,
      target: request.target,
      inputs: JSON.stringify(request.inputs),
      requestedBy: request.requestedBy,
      approvedBy: request.approvedBy,
      createdAt: deps.clock.now().toISOString(),
      plan,
    },
    plan.steps.map((step, position) => ({
      stepId: step.id,
      position,
      title: step.title,
      state: step.change === 'none' && step.operations.length === 0 ? 'skipped' : 'pending',
      change: step.change,
      error: null,
    })),
  );
  const ctx = runContext(request, deps, runId, plan);
  await ctx.audit(
    'run.started',
    `requested by ${request.requestedBy}; approved by ${request.approvedBy ?? 'nobody (CLI --yes)'}; plan ${plan.hash}`,
  );
  ctx.checkpoint('run.created');
  return { kind: 'ran', result: await executeRun(ctx, false) };
}

/** Ends a run that cannot go on, with the reason, as `interrupted`. */
export async function interruptRun(
  request: ApplyRequest,
  deps: ApplyDeps,
  runId: string,
  reason: string,
): Promise<ApplyResult> {
  const at = deps.clock.now().toISOString();
  await deps.store.finishRun(runId, 'interrupted', at, reason);
  await deps.store.appendAudit({
    at,
    actor: request.requestedBy,
    action: 'run.interrupted',
    runId,
    runbook: request.runbook.name,
    target: request.target,
    detail: reason,
    outcome: 'interrupted',
    durationMs: null,
  });
  return { runId, resumed: true, state: 'interrupted', steps: [], error: reason };
}

/**
 * Judges the steps left, in order, recording what each finds as it goes: a command found applied binds what it
 * made (`$newCertificate`) before the steps that use it are judged. Resolves with the first reason the plan no
 * longer holds, or null.
 */
async function judgeRemaining(
  ctx: RunContext,
  probe: PlanProbe,
  records: readonly StepRecord[],
): Promise<string | null> {
  const open = new Set(
    records.filter((r) => r.state !== 'succeeded' && r.state !== 'skipped').map((r) => r.stepId),
  );
  const current = new Map(probe.atPlanTime.plan.steps.map((step) => [step.id, step.operations]));
  for (const step of ctx.plan.steps.filter((candidate) => open.has(candidate.id))) {
    const found = probe.atPlanTime.diffs.get(step.id)?.found ?? {};
    const progress = stepProgress(step, ctx.journal, ctx.values);
    const judged = judgeStep(step, progress, current.get(step.id) ?? [], ctx.values, found);
    if (judged.kind === 'moved') return judged.reason;
    if (judged.kind === 'applied')
      await recordFound(ctx, judged.text, judged.op, 'found applied after restart', judged.found);
    if (judged.kind === 'notApplied') {
      await notApplied(ctx, judged.text, 'not applied (after restart): sent once more');
      ctx.resend.add(judged.text);
    }
  }
  return null;
}

/** Stops a resumed run whose plan no longer holds; commands still unknown are closed in the audit log. */
async function stopMoved(ctx: RunContext, probe: PlanProbe, reason: string): Promise<PlanRunOutcome> {
  for (const record of ctx.journal.values()) {
    if (record.state === 'started' && record.sentAs !== undefined)
      await recordUnknown(ctx, record.text, `not judged after restart: ${reason}`);
  }
  await ctx.deps.store.finishRun(ctx.runId, 'failed', ctx.deps.clock.now().toISOString(), reason);
  await ctx.audit('run.finished', reason, 'failed');
  return { kind: 'stale', fresh: probe.fresh(), reason, runId: ctx.runId };
}

/**
 * Resumes an unfinished run (its process stopped): re-diffs what is left at the plan's time, records each command
 * whose answer was lost as found applied, or sends it once more, and stops with a fresh plan if the org moved.
 */
export async function resumeRun(
  runId: string,
  request: ApplyRequest,
  deps: ApplyDeps,
): Promise<PlanRunOutcome> {
  const plan = await deps.store.getRunPlan(runId);
  if (!plan) {
    const reason = 'The run was made before saved plans, so it cannot be resumed; plan again.';
    return { kind: 'ran', result: await interruptRun(request, deps, runId, reason) };
  }
  const values = await deps.store.listValues(runId);
  const ctx = runContext(request, deps, runId, plan, {
    values,
    journal: await deps.store.listCommands(runId),
  });
  let probe: PlanProbe;
  try {
    probe = await probePlan(request.runbook, request.inputs, plan, deps, new Set(values.keys()));
  } catch (error) {
    const reason = `The org could not be read to resume the run: ${errorMessage(error)}. Plan again.`;
    return { kind: 'ran', result: await interruptRun(request, deps, runId, reason) };
  }
  const moved = await judgeRemaining(ctx, probe, await deps.store.listSteps(runId));
  if (moved) return stopMoved(ctx, probe, moved);
  await ctx.audit('run.resumed', `resumed by ${request.requestedBy}`);
  return { kind: 'ran', result: await executeRun(ctx, true) };
}

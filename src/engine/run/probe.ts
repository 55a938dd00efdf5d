/**
 * The only reads a run makes: once at its start (the plan's reads, re-diffed at the plan's time), and, for a
 * command whose answer was lost, that step's reads alone.
 */
import type { Operation, Plan } from '../../core/plan';
import type { Runbook, RunbookInputs, RunbookStep } from '../../runbooks/types';
import type { BoundValue } from '../plan-types';
import { buildPlan, diffSteps, type PlanDeps, type PlannedRunbook, placeOffers } from '../planner';
import { readSnapshot } from '../snapshot';
import { planReads } from '../snapshot-reads';

export interface PlanProbe {
  /** The plan as the org stands, diffed at the saved plan's time (names already bound left out). */
  readonly atPlanTime: PlannedRunbook;
  /** A fresh plan from the same reads, as of now: what to approve when the saved one no longer holds. */
  fresh(): Plan;
}

/** Reads what `plan` was made from (one relay job, one `$batch`, in flight together) and re-diffs it. */
export async function probePlan(
  runbook: Runbook,
  inputs: RunbookInputs,
  plan: Plan,
  deps: PlanDeps,
  bound: ReadonlySet<string> = new Set(),
): Promise<PlanProbe> {
  const steps = runbook.steps(inputs);
  const snapshot = await readSnapshot(plan.reads, steps, deps.ems, deps.graph);
  const atPlanTime = buildPlan(runbook, inputs, plan.reads, snapshot, new Date(plan.plannedAt), bound);
  return {
    atPlanTime,
    fresh: () => buildPlan(runbook, inputs, planReads(steps, inputs), snapshot, deps.clock.now()).plan,
  };
}

/** One step as the org stands: its operations re-diffed at the plan's time, and what it finds already made. */
export interface StepProbe {
  readonly operations: readonly Operation[];
  readonly found: Readonly<Record<string, BoundValue>>;
}

/** Reads only what one step needs and re-diffs it at `at` (earlier steps are done, so nothing is projected). */
export async function probeStep(
  step: RunbookStep,
  inputs: RunbookInputs,
  at: Date,
  deps: PlanDeps,
  bound: ReadonlySet<string>,
): Promise<StepProbe> {
  const snapshot = await readSnapshot(planReads([step], inputs), [step], deps.ems, deps.graph);
  const diffs = diffSteps([step], snapshot, inputs, at);
  return {
    operations: placeOffers([step], diffs, bound).get(step.id) ?? [],
    found: diffs.get(step.id)?.found ?? {},
  };
}

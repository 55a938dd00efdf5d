/** Plan: probe the live state once, diff every step against it, and list the exact operations a run executes. */
import { type Operation, type PlanReads, planHash } from '../core/plan';
import type { Clock, EmsRunner, GraphPort } from '../core/ports';
import type { Runbook, RunbookInputs, RunbookStep } from '../runbooks/types';
import { diffStep, stepTarget } from './diff';
import { renderOperation } from './operations/render';
import { referencesOf } from './operations/values';
import type { Plan, PlanStep, StepDiff } from './plan-types';
import { emptyProjection } from './projection';
import { readSnapshot, type Snapshot } from './snapshot';
import { planReads } from './snapshot-reads';

export interface PlanDeps {
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  readonly clock: Clock;
}

export interface PlanOptions {
  /** Diff as of this time rather than now: a run's start probe re-diffs at the plan's `plannedAt`. */
  readonly at?: Date;
  /** Names a run has already bound: the operations that would make them again are left out. */
  readonly bound?: ReadonlySet<string>;
}

/** A plan and each step's diff. */
export interface PlannedRunbook {
  readonly plan: Plan;
  readonly diffs: ReadonlyMap<string, StepDiff>;
}

/** One plan entry from a step, its diff and the operations the plan runs for it. */
export function toPlanStep(step: RunbookStep, diff: StepDiff, operations: readonly Operation[]): PlanStep {
  return {
    id: step.id,
    title: step.title,
    seedStep: step.seedStep,
    target: stepTarget(step),
    change: diff.change,
    operations,
    command: operations.map((op) => renderOperation(op, { elide: true })).join('\n'),
    detail: diff.detail,
    warnings: [...(step.warnings ?? []), ...diff.warnings],
    ...(step.article ? { article: step.article } : {}),
  };
}

/**
 * Each step's operations: its own, preceded by the offered operations (e.g. the certificate export) it is the
 * first to offer, when some operation of the plan refers to what they bind and the run has not bound it yet.
 */
export function placeOffers(
  steps: readonly RunbookStep[],
  diffs: ReadonlyMap<string, StepDiff>,
  bound: ReadonlySet<string> = new Set(),
): Map<string, Operation[]> {
  const all = steps.flatMap((step) => [...(diffs.get(step.id)?.operations ?? [])]);
  const offered = steps.flatMap((step) => [...(diffs.get(step.id)?.offers ?? [])]);
  const wanted = new Set([...all, ...offered].flatMap((op) => referencesOf(op).map((ref) => ref.$value)));
  const placed = new Set(bound);
  const result = new Map<string, Operation[]>();
  for (const step of steps) {
    const diff = diffs.get(step.id);
    const offers = (diff?.offers ?? []).filter((op) => {
      if (!op.bind || !wanted.has(op.bind) || placed.has(op.bind)) return false;
      placed.add(op.bind);
      return true;
    });
    result.set(step.id, [...offers, ...(diff?.operations ?? [])]);
  }
  return result;
}

/** Diffs every step against the snapshot, in order, each planned against what earlier steps create. */
export function diffSteps(
  steps: readonly RunbookStep[],
  snapshot: Snapshot,
  inputs: RunbookInputs,
  at: Date,
): Map<string, StepDiff> {
  const projection = emptyProjection();
  return new Map(steps.map((step) => [step.id, diffStep(step, snapshot, projection, inputs, at)]));
}

/** The plan of `runbook` for a snapshot read at `at`. */
export function buildPlan(
  runbook: Runbook,
  inputs: RunbookInputs,
  reads: PlanReads,
  snapshot: Snapshot,
  at: Date,
  bound?: ReadonlySet<string>,
): PlannedRunbook {
  const steps = runbook.steps(inputs);
  const diffs = diffSteps(steps, snapshot, inputs, at);
  const operations = placeOffers(steps, diffs, bound);
  const planSteps = steps.map((step) =>
    toPlanStep(step, diffs.get(step.id) as StepDiff, operations.get(step.id) ?? []),
  );
  const plan = {
    runbook: runbook.name,
    title: runbook.title,
    source: runbook.source,
    caution: runbook.caution ?? null,
    notes: runbook.notes ?? [],
    plannedAt: at.toISOString(),
    reads,
    steps: planSteps,
  };
  return { plan: { ...plan, hash: planHash(plan) }, diffs };
}

/** Probes the org (one relay job of reads and one Graph `$batch`, in flight together) and returns the plan. */
export async function planRunbook(
  runbook: Runbook,
  inputs: RunbookInputs,
  deps: PlanDeps,
  options: PlanOptions = {},
): Promise<PlannedRunbook> {
  const steps = runbook.steps(inputs);
  const reads = planReads(steps, inputs);
  const at = options.at ?? deps.clock.now();
  const snapshot = await readSnapshot(reads, steps, deps.ems, deps.graph);
  return buildPlan(runbook, inputs, reads, snapshot, at, options.bound);
}

/** Plan: probe the live state once, diff every step against it, and show the exact commands. */
import { createHash } from 'node:crypto';
import type { Clock, EmsRunner, GraphPort } from '../core/ports';
import { renderCommand } from '../exchange/render';
import type { Runbook, RunbookInputs, RunbookStep } from '../runbooks/types';
import { renderAction } from './actions';
import { diffStep, stepTarget } from './diff';
import type { Plan, PlanStep, StepDiff } from './plan-types';
import { emptyProjection } from './projection';
import { takeSnapshot } from './snapshot';

export interface PlanDeps {
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  readonly clock: Clock;
}

/** One plan entry from a step and its diff. */
export function toPlanStep(step: RunbookStep, diff: StepDiff): PlanStep {
  const lines = diff.actions.map(renderAction);
  if (lines.length === 0 && diff.readCommand) lines.push(renderCommand(diff.readCommand));
  return {
    id: step.id,
    title: step.title,
    seedStep: step.seedStep,
    target: stepTarget(step),
    change: diff.change,
    command: lines.join('\n'),
    detail: diff.detail,
    warnings: [...(step.warnings ?? []), ...diff.warnings],
  };
}

/** SHA-256 over what an approval binds to: each step's id, change and command. */
export function planHash(steps: readonly PlanStep[]): string {
  const material = steps.map((step) => [step.id, step.change, step.command]);
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}

/** Probes the org and returns the plan, plus each step's diff (the actions apply would take). */
export async function planRunbook(
  runbook: Runbook,
  inputs: RunbookInputs,
  deps: PlanDeps,
): Promise<{ plan: Plan; diffs: Map<string, StepDiff> }> {
  const steps = runbook.steps(inputs);
  const snapshot = await takeSnapshot(steps, inputs, deps.ems, deps.graph);
  const projection = emptyProjection();
  const now = deps.clock.now();
  const diffs = new Map<string, StepDiff>();
  const planSteps = steps.map((step) => {
    const diff = diffStep(step, snapshot, projection, inputs, now);
    diffs.set(step.id, diff);
    return toPlanStep(step, diff);
  });
  return {
    plan: {
      runbook: runbook.name,
      title: runbook.title,
      source: runbook.source,
      caution: runbook.caution ?? null,
      notes: runbook.notes ?? [],
      steps: planSteps,
      hash: planHash(planSteps),
    },
    diffs,
  };
}

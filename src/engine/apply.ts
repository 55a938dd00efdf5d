/**
 * Apply: a run executes exactly the operations of a saved plan, journaled so that a killed process resumes where
 * it stopped. `applyPlan` runs an approved plan (probing once to confirm it still holds), `resumeRun` continues an
 * unfinished one, and `applyRunbook` plans and applies in one go (the CLI without --plan).
 */

import { planRunbook } from './planner';
import type { ApplyDeps, ApplyRequest, ApplyResult, StepOutcome } from './run/context';
import { applyPlan, refuseUnacknowledged, resumeRun } from './run/start';

export type {
  ApplyDeps,
  ApplyRequest,
  ApplyResult,
  Checkpoint,
  ProgressEvent,
  RunEnd,
  RunStore,
  StepOutcome,
} from './run/context';
export {
  applyPlan,
  type CancelledBeforeStart,
  interruptRun,
  type PlanRunOutcome,
  resumeRun,
} from './run/start';

/** How many steps a run changed, found already in place, and never came to (a stop or a cancel before them). */
export function countSteps(steps: readonly StepOutcome[]): {
  ran: number;
  inPlace: number;
  notReached: number;
} {
  const reached = steps.filter((step) => step.reached);
  return {
    ran: reached.filter((step) => step.state === 'succeeded').length,
    inPlace: reached.filter((step) => step.state === 'skipped').length,
    notReached: steps.length - reached.length,
  };
}

/**
 * Plans and applies in one go, probing once; or resumes the unfinished run of the same runbook, target, inputs and
 * approver (a killed CLI). A resumed run whose plan no longer holds ends failed, saying so.
 */
export async function applyRunbook(request: ApplyRequest, deps: ApplyDeps): Promise<ApplyResult> {
  const { runbook, inputs } = request;
  refuseUnacknowledged(request);
  const unfinished = await deps.store.findUnfinishedRun(runbook.name, request.target, JSON.stringify(inputs));
  if (unfinished && unfinished.approvedBy === request.approvedBy) {
    const outcome = await resumeRun(unfinished.id, request, deps);
    if (outcome.kind === 'ran') return outcome.result;
    return {
      runId: unfinished.id,
      resumed: true,
      state: 'failed',
      steps: [],
      error: `${outcome.reason} Plan again.`,
      orgMoved: true,
    };
  }
  const { plan } = await planRunbook(runbook, inputs, deps);
  const outcome = await applyPlan(plan, request, deps, { confirmed: true });
  if (outcome.kind !== 'ran') throw new Error('A plan made just now cannot be stale.');
  return outcome.result;
}

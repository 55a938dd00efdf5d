/**
 * Running an approved plan, or resuming its run after a restart: exactly the saved operations, with a live run
 * card, then the result card with the verification. A plan the org no longer matches is superseded.
 */
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Plan } from '../../core/plan';
import {
  type ApplyDeps,
  type ApplyRequest,
  type ApplyResult,
  applyPlan,
  resumeRun,
} from '../../engine/apply';
import { planRunbook } from '../../engine/planner';
import { getRunbook, type RunbookInputs } from '../../runbooks';
import type { ApprovalRecord, SavedPlan } from '../../store/bot-repositories';
import type { RunRecord } from '../../store/types';
import { verifyRunbook } from '../../verify/verify-runbook';
import { infoCard } from '../cards/message-cards';
import { nameOf, resultCard } from '../cards/result-card';
import { postFreshPlan, supersede } from './fresh-plan';
import { cancelledInCheck, startCheck } from './pre-run-check';
import { journaledRunView, openRunCard, type RunCardSession, runViewOf } from './run-card-session';
import { type ActiveRun, actorOf, type CoordinatorDeps } from './types';

function applyDeps(deps: CoordinatorDeps, log: Logger): ApplyDeps {
  return {
    ems: deps.ems,
    graph: deps.graph,
    clock: deps.clock,
    store: deps.store.runs,
    logger: log,
    ...(deps.checkpoint ? { checkpoint: deps.checkpoint } : {}),
  };
}

/** The engine's request for an approved run; progress goes to the run card, and the run is linked to its approval. */
function requestFor(
  deps: CoordinatorDeps,
  approval: ApprovalRecord,
  runbook: string,
  inputs: string,
  entry: ActiveRun,
  card: RunCardSession,
): ApplyRequest {
  return {
    runbook: getRunbook(runbook),
    inputs: JSON.parse(inputs) as RunbookInputs,
    target: deps.target,
    requestedBy: actorOf(approval.requesterName, approval.requester),
    approvedBy: actorOf(approval.decidedByName ?? 'approver', approval.decidedBy),
    signal: entry.controller.signal,
    onProgress: async (event) => {
      if (event.type === 'run.started') {
        entry.runId = event.runId;
        entry.phase = 'running';
        entry.since = deps.clock.now().toISOString();
        await deps.runLeases?.claimNew(event.runId);
        // Linked before the first step: from now on the approval cannot be withdrawn or superseded.
        if (approval.runId !== event.runId)
          await deps.store.approvals.setApprovalRun(approval.id, event.runId);
      }
      if (entry.controller.signal.aborted) card.cancelling();
      await card.onProgress(event);
    },
  };
}

/** After a run: the card's final state, the verification, and a fresh plan when the org moved under it. */
async function afterRun(
  deps: CoordinatorDeps,
  approval: ApprovalRecord,
  plan: Plan,
  inputs: string,
  result: ApplyResult,
  card: RunCardSession,
  entry: ActiveRun,
  reference: Partial<ConversationReference>,
): Promise<void> {
  await card.finish(
    result,
    result.error && entry.cancelledBy ? `Cancelled by ${nameOf(entry.cancelledBy)}.` : null,
  );
  const runbook = getRunbook(plan.runbook);
  const parsed = JSON.parse(inputs) as RunbookInputs;
  const ports = { ems: deps.ems, graph: deps.graph, clock: deps.clock };
  const checks = result.state === 'succeeded' ? await verifyRunbook(runbook, parsed, ports) : [];
  await deps.poster.post(
    reference,
    resultCard({
      title: plan.title,
      runbook: plan.runbook,
      inputs: parsed,
      runId: result.runId,
      state: result.state,
      error: result.error,
      checks,
      steps: result.steps,
      cancelledBy: result.error ? entry.cancelledBy : null,
    }),
  );
  if (result.orgMoved) {
    const { plan: fresh } = await planRunbook(runbook, parsed, ports);
    await postFreshPlan(deps, fresh, approval, inputs, reference);
  }
}

/** Runs an approved plan: the start probe confirms it still holds, then its operations run, and nothing else. */
export async function runApproved(
  deps: CoordinatorDeps,
  approval: ApprovalRecord,
  saved: SavedPlan,
  reference: Partial<ConversationReference>,
  entry: ActiveRun,
  log: Logger,
): Promise<void> {
  // Where the run card will be, stored before the run exists, so a restart finds the conversation.
  await deps.store.approvals.setRunCard(approval.id, {
    reference: JSON.stringify(reference),
    messageId: null,
  });
  const card = openRunCard(deps, approval, reference, runViewOf(saved.plan, approval), log);
  const request = requestFor(deps, approval, saved.runbook, saved.inputs, entry, card);
  const check = await startCheck(deps, approval, saved.plan, reference, entry, log);
  const outcome = await applyPlan(saved.plan, request, applyDeps(deps, log));
  await check.end(outcome.kind);
  if (outcome.kind === 'cancelled') return cancelledInCheck(deps, approval, entry);
  if (outcome.kind === 'stale') return supersede(deps, approval, outcome.fresh, saved, reference, log);
  await afterRun(deps, approval, saved.plan, saved.inputs, outcome.result, card, entry, reference);
}

/** Resumes an approved run a restart interrupted, under its original approval, taking over its run card. */
export async function resumeApproved(
  deps: CoordinatorDeps,
  run: RunRecord,
  plan: Plan,
  approval: ApprovalRecord,
  reference: Partial<ConversationReference>,
  entry: ActiveRun,
  log: Logger,
): Promise<void> {
  entry.runId = run.id;
  const steps = await deps.store.runs.listSteps(run.id);
  const view = journaledRunView(runViewOf(plan, approval), run.id, steps);
  const card = openRunCard(deps, approval, reference, view, log, approval.runMessageId);
  await deps.poster.post(
    reference,
    infoCard('Resuming a run after a restart', [
      `hybridops stopped during run ${run.id.slice(0, 8)}; it resumes under approval ${approval.id.slice(0, 8)}, judging any command whose answer was lost by reading the org.`,
    ]),
  );
  const outcome = await resumeRun(
    run.id,
    requestFor(deps, approval, run.runbook, run.inputs, entry, card),
    applyDeps(deps, log),
  );
  if (outcome.kind === 'ran') {
    await afterRun(deps, approval, plan, run.inputs, outcome.result, card, entry, reference);
    return;
  }
  const stopped: ApplyResult = {
    runId: run.id,
    resumed: true,
    state: 'failed',
    steps: [],
    error: outcome.reason,
  };
  await card.finish(stopped, null);
  await postFreshPlan(deps, outcome.fresh, approval, run.inputs, reference);
}

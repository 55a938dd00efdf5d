/** Handlers of the commands that lead to changes: plan (shows a plan card) and cancel. */
import { randomUUID } from 'node:crypto';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { type OwnershipConflict, ownershipConflicts } from '../../engine/ownership';
import type { Plan } from '../../engine/plan-types';
import { planRunbook } from '../../engine/planner';
import type { Runbook, RunbookInputs } from '../../runbooks';
import { showClosedApproval } from '../approval-updates';
import { infoCard } from '../cards/message-cards';
import { planCard } from '../cards/plan-card';
import { inputFacts, inputsFromOptions } from '../inputs';
import type { BotServices } from '../services';
import type { CommandHandler } from './handler';

/** Probes the org, stores the plan (the card carries only its id) and returns the plan card. */
export async function planCardFor(
  services: Pick<BotServices, 'ems' | 'graph' | 'clock' | 'store' | 'target'>,
  runbook: Runbook,
  inputs: RunbookInputs,
  createdBy: string,
  conversationId: string,
): Promise<AdaptiveCard> {
  const { plan: planned } = await planRunbook(runbook, inputs, {
    ems: services.ems,
    graph: services.graph,
    clock: services.clock,
  });
  // Only runs on this org own its objects: another org's runs set objects of the same names elsewhere.
  const conflicts = await ownershipConflicts(services.store.runs, planned, services.target);
  const computed = withOwnershipWarnings(planned, conflicts);
  const planId = randomUUID();
  await services.store.plans.savePlan({
    id: planId,
    runbook: runbook.name,
    inputs: JSON.stringify(inputs),
    hash: computed.hash,
    plan: computed,
    conversationId,
    createdBy,
    createdAt: services.clock.now().toISOString(),
  });
  const blocked =
    runbook.caution && !inputs.acknowledged
      ? 'This runbook has a caution: read it, then plan again with acknowledge=yes to request approval.'
      : conflicts.length > 0 && !inputs.acknowledged
        ? 'This plan changes objects another runbook set (see the warnings): if that is what you want, plan again with acknowledge=yes to request approval.'
        : undefined;
  return planCard(computed, planId, inputFacts(inputs), blocked);
}

/** The plan with a warning on each step that changes what another runbook's applied run set (the hash stays). */
function withOwnershipWarnings(plan: Plan, conflicts: readonly OwnershipConflict[]): Plan {
  if (conflicts.length === 0) return plan;
  return {
    ...plan,
    overrides: [...new Set(conflicts.map((conflict) => conflict.runbook))],
    steps: plan.steps.map((step) => {
      const mine = conflicts.filter((conflict) => conflict.stepId === step.id);
      const added = mine.map(
        (c) =>
          `Runbook ${c.runbook} set ${c.object} (run ${c.runId.slice(0, 8)}, ${c.finishedAt.slice(0, 16).replace('T', ' ')} UTC); this step changes it, and verify of ${c.runbook} may fail after.`,
      );
      return added.length ? { ...step, warnings: [...step.warnings, ...added] } : step;
    }),
  };
}

export const plan: CommandHandler<'ems' | 'graph' | 'clock' | 'store' | 'org' | 'target'> = async ({
  command,
  services,
  actorName,
  conversationId,
}) => {
  const { runbook, inputs } = inputsFromOptions(command.positionals[0] ?? '', command.options, services.org);
  return planCardFor(services, runbook, inputs, actorName, conversationId);
};

export const cancel: CommandHandler<
  'coordinator' | 'store' | 'clock' | 'poster' | 'userNames' | 'logger' | 'adminChannels' | 'scope'
> = async ({ command, services, actor }) => {
  const id = command.positionals[0] ?? '';
  const outcome = await services.coordinator.cancel(id, actor);
  if (outcome.kind === 'cancelling' && outcome.phase !== 'running') {
    return infoCard('Cancelling', [
      `The run of approval ${outcome.runId.slice(0, 8)} has not started: it stops before its first step, and nothing changes.`,
    ]);
  }
  if (outcome.kind === 'cancelling') {
    return infoCard('Cancelling', [
      `Run ${outcome.runId.slice(0, 8)} stops after its current step; the run card shows where it stopped.`,
    ]);
  }
  const pending = await services.store.approvals.findPendingApproval(id);
  if (
    pending &&
    (await services.store.approvals.closeApproval(
      pending.id,
      'cancelled',
      `withdrawn by ${actor}`,
      services.clock.now().toISOString(),
    ))
  ) {
    await services.store.runs.appendAudit({
      at: services.clock.now().toISOString(),
      actor,
      action: 'approval.withdrawn',
      runId: null,
      runbook: null,
      target: services.scope,
      detail: `approval ${pending.id} requested by ${pending.requesterName}, plan hash ${pending.planHash}`,
      outcome: 'withdrawn',
      durationMs: null,
    });
    const closed = await services.store.approvals.getApproval(pending.id);
    if (closed) await showClosedApproval(services, closed);
    return infoCard('Approval withdrawn', [
      `Approval ${pending.id.slice(0, 8)} is closed; nothing will run from it.`,
    ]);
  }
  return infoCard('Nothing to cancel', [outcome.kind === 'notRunning' ? outcome.message : '']);
};

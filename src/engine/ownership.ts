/**
 * Runbooks that own the same object: a plan step that would change an object (a partner application, a role, a
 * mail user, a service principal) that another runbook's applied run set. Read from the runs store: the last
 * succeeded run of every other runbook, and the operations its saved plan changed things with.
 */
import type { Operation, Plan } from '../core/plan';
import type { RunRepository } from '../store/run-repository';
import { graphPath } from './operations/render';

/** Another runbook's run that set an object this plan changes. */
export interface OwnershipConflict {
  readonly stepId: string;
  /** The object, in the admin's words: `PartnerApplication SfBOnline`. */
  readonly object: string;
  readonly runbook: string;
  readonly runId: string;
  readonly finishedAt: string;
}

const IDENTITY_PARAMS = ['Identity', 'Name', 'ApplicationIdentifier'] as const;

/** What an operation changes, as a stable key and a label; null for a read. */
function objectOf(op: Operation): { key: string; label: string } | null {
  if (op.kind === 'graph') {
    if (op.method === 'GET') return null;
    const path = graphPath(op);
    return { key: `graph:${path.toLowerCase()}`, label: `Graph object ${path}` };
  }
  if (/^(Get|Export|Test)-/.test(op.cmdlet)) return null;
  const noun = op.cmdlet.replace(/^[A-Za-z]+-/, '');
  const name = IDENTITY_PARAMS.map((param) => op.params[param]).find((value) => typeof value === 'string');
  if (typeof name !== 'string') return null;
  // A role entry belongs to its role: `TeamsSchedulerRole\AddDelegate` is part of TeamsSchedulerRole.
  const [owner = name] = noun === 'ManagementRoleEntry' ? name.split('\\') : [name];
  const kind = noun === 'ManagementRoleEntry' ? 'ManagementRole' : noun;
  return { key: `ems:${kind.toLowerCase()}:${owner.toLowerCase()}`, label: `${kind} ${owner}` };
}

/** The objects each changing step of a plan touches. */
function changedObjects(plan: Plan): { stepId: string; key: string; label: string }[] {
  return plan.steps
    .filter((step) => step.change !== 'none')
    .flatMap((step) =>
      step.operations.flatMap((op) => {
        const object = objectOf(op);
        return object ? [{ stepId: step.id, ...object }] : [];
      }),
    );
}

/** The steps of `plan` that change objects another runbook's last succeeded run set, and which run. */
export async function ownershipConflicts(
  runs: Pick<RunRepository, 'listRuns' | 'getRunPlan'>,
  plan: Plan,
  target?: string,
): Promise<OwnershipConflict[]> {
  const mine = changedObjects(plan);
  if (mine.length === 0) return [];
  const applied = await runs.listRuns({ state: 'succeeded', ...(target ? { target } : {}) });
  const latest = new Map<string, (typeof applied)[number]>();
  for (const run of applied) {
    const seen = latest.get(run.runbook);
    if (run.runbook !== plan.runbook && (!seen || run.createdAt > seen.createdAt))
      latest.set(run.runbook, run);
  }
  const conflicts: OwnershipConflict[] = [];
  for (const run of latest.values()) {
    const theirs = await runs.getRunPlan(run.id);
    if (!theirs) continue;
    const set = new Set(changedObjects(theirs).map((object) => object.key));
    for (const object of mine) {
      if (
        !set.has(object.key) ||
        conflicts.some((c) => c.stepId === object.stepId && c.runbook === run.runbook)
      )
        continue;
      conflicts.push({
        stepId: object.stepId,
        object: object.label,
        runbook: run.runbook,
        runId: run.id,
        finishedAt: run.finishedAt ?? run.createdAt,
      });
    }
  }
  return conflicts;
}

/** One check per runbook step: the step's object exists as desired, with the commands that would make it so. */
import { diffStep } from '../engine/diff';
import { renderOperation } from '../engine/operations/render';
import { emptyProjection } from '../engine/projection';
import type { Runbook, RunbookInputs } from '../runbooks/types';
import { hybridOAuthCheck } from './hybrid-oauth-check';
import type { OrgProbe } from './probe';
import type { Check } from './types';

/** Checks each step on its own: a missing object must not be excused by an earlier step's projection. */
export function stepChecks(runbook: Runbook, inputs: RunbookInputs, probe: OrgProbe, now: Date): Check[] {
  return probe.steps.map((step): Check => {
    if (step.kind === 'hybridOAuthPrerequisite') return hybridOAuthCheck(step.id, step.title, probe, inputs);
    const diff = diffStep(step, probe.snapshot, emptyProjection(), inputs, now);
    const problems = [...(diff.refusal ? [diff.refusal] : []), ...diff.warnings];
    if (diff.change !== 'none') problems.unshift(`Would ${diff.change}: ${diff.detail}`);
    const ok = problems.length === 0;
    return {
      id: step.id,
      title: step.title,
      ok,
      detail: ok ? diff.detail : problems.join(' '),
      fix: ok ? '' : diff.operations.map((op) => renderOperation(op, { elide: true })).join('\n'),
      fixRunbook: ok ? null : runbook.name,
      alertBy: 'drift',
    };
  });
}

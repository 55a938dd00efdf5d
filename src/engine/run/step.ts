/** One step's operations in order; a command whose answer is lost is judged by re-probing that step only. */
import { errorMessage } from '../../core/errors';
import type { Operation, PlanStep } from '../../core/plan';
import { isMutatingOperation } from '../operations/run';
import type { RunContext } from './context';
import { journalText, judgeStep, stepProgress } from './judge';
import { probeStep } from './probe';
import { recordFound, recordUnknown, sendJournaled } from './send';

/** How a step ended: its commands all answered, one failed, the org moved, or an outcome stayed unknown. */
export type StepEnd =
  | { readonly kind: 'done'; readonly sent: string[] }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'moved'; readonly error: string }
  | { readonly kind: 'interrupted'; readonly error: string };

type Settled = { readonly kind: 'applied' } | { readonly kind: 'notApplied' } | StepEnd;

/** Re-probes the step of a command whose answer was lost, and records what the org shows. */
async function settleUnknown(
  ctx: RunContext,
  step: PlanStep,
  op: Operation,
  text: string,
  why: string,
): Promise<Settled> {
  const { deps, request } = ctx;
  const runbookStep = ctx.steps.get(step.id);
  let probe: Awaited<ReturnType<typeof probeStep>>;
  try {
    if (!runbookStep) throw new Error(`the runbook has no step ${step.id}`);
    probe = await probeStep(
      runbookStep,
      request.inputs,
      new Date(ctx.plan.plannedAt),
      deps,
      new Set(ctx.values.keys()),
    );
  } catch (error) {
    const reason = `${why}; the org could not be read to tell: ${errorMessage(error)}`;
    await recordUnknown(ctx, text, reason);
    return {
      kind: 'interrupted',
      error: `The outcome of ${text} is unknown (${reason}). Plan again once the org can be read.`,
    };
  }
  const progress = stepProgress(step, ctx.journal, ctx.values);
  const judged = judgeStep(step, progress, probe.operations, ctx.values, probe.found);
  switch (judged.kind) {
    case 'applied':
      await recordFound(ctx, text, op, 'found applied on re-probe', judged.found);
      return { kind: 'applied' };
    case 'notApplied':
      await notApplied(ctx, text, 'not applied (re-probe): sent once more');
      return { kind: 'notApplied' };
    default: {
      const reason = judged.kind === 'moved' ? judged.reason : 'the org changed since the plan';
      await recordUnknown(ctx, text, `not judged: ${reason}`);
      return { kind: 'moved', error: reason };
    }
  }
}

/** Completes the "sent" entry of a command found not applied, before it is sent once more. */
export async function notApplied(ctx: RunContext, text: string, how: string): Promise<void> {
  const sentAs = ctx.journal.get(text)?.sentAs;
  await ctx.deps.store.appendAudit({
    ...ctx.entry('command', text, how),
    ...(sentAs === undefined ? {} : { completes: sentAs }),
  });
}

/** Sends one operation; a lost answer is judged, and a command found not applied is sent once more, no more. */
async function sendOnce(
  ctx: RunContext,
  step: PlanStep,
  op: Operation,
  sent: string[],
): Promise<StepEnd | null> {
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await sendJournaled(ctx, step.id, op);
    if (outcome.kind !== 'unknown') {
      sent.push(outcome.text);
      return outcome.kind === 'failed' ? { kind: 'failed', error: outcome.error } : null;
    }
    if (!isMutatingOperation(op) && attempt === 1) continue; // a read is safe to send again
    if (attempt > 1) {
      if (isMutatingOperation(op)) await recordUnknown(ctx, outcome.text, `${outcome.error}, a second time`);
      return {
        kind: 'interrupted',
        error: `The outcome of ${outcome.text} is unknown twice over: ${outcome.error}.`,
      };
    }
    const settled = await settleUnknown(ctx, step, op, outcome.text, outcome.error);
    if (settled.kind === 'applied') {
      sent.push(outcome.text);
      return null;
    }
    if (settled.kind !== 'notApplied') return settled;
  }
}

/** Runs a step's operations not yet answered, in order. */
export async function runStepOperations(ctx: RunContext, step: PlanStep): Promise<StepEnd> {
  const sent: string[] = [];
  for (const op of step.operations) {
    const text = journalText(op, ctx.values);
    const journaled = text === null ? undefined : ctx.journal.get(text);
    if (journaled?.state === 'succeeded') continue;
    if (journaled?.state === 'failed')
      return { kind: 'failed', error: journaled.result ?? `${text} failed.` };
    if (journaled?.state === 'started' && isMutatingOperation(op) && !ctx.resend.delete(journaled.text)) {
      // Sent by this run before, answer never journaled, and not judged yet: the org tells.
      const settled = await settleUnknown(ctx, step, op, journaled.text, 'its answer was never journaled');
      if (settled.kind === 'applied') continue;
      if (settled.kind !== 'notApplied') return settled;
    }
    const end = await sendOnce(ctx, step, op, sent);
    if (end) return end;
  }
  return { kind: 'done', sent };
}

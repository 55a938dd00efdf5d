/**
 * Whether a step of a saved plan still holds: what the org needs now (the step re-diffed at the plan's time)
 * against what the plan has left to do for it. For a command whose answer was lost, the same comparison decides
 * whether it took effect.
 */
import { canonicalJson } from '../../core/canonical-json';
import type { Operation, PlanStep } from '../../core/plan';
import type { CommandRecord } from '../../store/types';
import { operationText } from '../operations/render';
import { isMutatingOperation } from '../operations/run';
import { type BoundValues, fillKnown, referencesOf } from '../operations/values';
import type { BoundValue } from '../plan-types';

export type StepJudgement =
  /** The org needs exactly what is left of the step. */
  | { readonly kind: 'holds' }
  /** The command whose answer was lost took effect; `found` is what it made, when it binds a name. */
  | { readonly kind: 'applied'; readonly op: Operation; readonly text: string; readonly found?: BoundValue }
  /** It did not: it is sent once more. */
  | { readonly kind: 'notApplied'; readonly op: Operation; readonly text: string }
  /** The org changed in a way the plan does not cover: the run stops, and a fresh plan is made. */
  | { readonly kind: 'moved'; readonly reason: string };

/** The text an operation is journaled under, once every name it refers to is bound; null before. */
export function journalText(op: Operation, values: BoundValues): string | null {
  const filled = fillKnown(op, values);
  return referencesOf(filled).length > 0 ? null : operationText(filled);
}

function key(ops: readonly Operation[], values: BoundValues): string {
  return canonicalJson(ops.map((op) => fillKnown(op, values)));
}

interface StepProgress {
  /** The operations not yet answered successfully, in order. */
  readonly left: readonly Operation[];
  /** The mutating operation sent but never answered, if any. */
  readonly unknown: { readonly op: Operation; readonly text: string } | null;
  readonly done: readonly { readonly op: Operation; readonly text: string }[];
}

/** Where a step stands by the journal. */
export function stepProgress(
  step: PlanStep,
  journal: ReadonlyMap<string, CommandRecord>,
  values: BoundValues,
): StepProgress {
  const left: Operation[] = [];
  const done: { op: Operation; text: string }[] = [];
  let unknown: StepProgress['unknown'] = null;
  for (const op of step.operations) {
    const text = journalText(op, values);
    const state = text === null ? undefined : journal.get(text)?.state;
    if (state === 'succeeded' && text !== null) {
      done.push({ op, text });
      continue;
    }
    left.push(op);
    if (state === 'started' && text !== null && isMutatingOperation(op)) unknown = { op, text };
  }
  return { left, unknown, done };
}

/** Judges one step: `current` is what the org needs now for it (re-diffed at the plan's time). */
export function judgeStep(
  step: PlanStep,
  progress: StepProgress,
  current: readonly Operation[],
  values: BoundValues,
  found: Readonly<Record<string, BoundValue>> = {},
): StepJudgement {
  const now = key(current, values);
  const { left, unknown } = progress;
  if (unknown) {
    if (now === key(left, values)) return { kind: 'notApplied', ...unknown };
    if (
      now ===
      key(
        left.filter((op) => op !== unknown.op),
        values,
      )
    ) {
      const bind = unknown.op.bind;
      if (!bind) return { kind: 'applied', ...unknown };
      const made = found[bind];
      return made
        ? { kind: 'applied', ...unknown, found: made }
        : {
            kind: 'moved',
            reason: `${unknown.text} took effect, but what it made ($${bind}) can't be found.`,
          };
    }
  } else if (now === key(left, values)) {
    return { kind: 'holds' };
  }
  return { kind: 'moved', reason: movedReason(step, progress, current, values) };
}

function movedReason(
  step: PlanStep,
  progress: StepProgress,
  current: readonly Operation[],
  values: BoundValues,
): string {
  const needed = new Set(current.map((op) => canonicalJson(fillKnown(op, values))));
  const again = progress.done.find(({ op }) => needed.has(canonicalJson(fillKnown(op, values))));
  if (again) {
    return `${again.text} was already sent in this run and succeeded, yet the org needs it again; plan again after checking the object.`;
  }
  return `The org changed since the plan: step "${step.title}" no longer needs what was approved.`;
}

/** A plan: per step, what would change and the exact operations a run executes to do it. */
import type { Change, Operation } from '../core/plan';

// The plan itself lives below the store, which saves it and reads it back with its schema.
export type { Change, Operation, Plan, PlanStep } from '../core/plan';

/** An output object, as a named value holds it. */
export type BoundValue = Readonly<Record<string, unknown>>;

/** What diffing one step against the probed state found. */
export interface StepDiff {
  readonly change: Change;
  /** The exact operations that make the step true, in order. */
  readonly operations: readonly Operation[];
  /**
   * Operations that bind a value (e.g. the certificate export) which this step's operations, or a later step's,
   * refer to. A plan runs each one once, in the first step that offers it, and only when something refers to it.
   */
  readonly offers?: readonly Operation[];
  /** Named values this step finds already made in the org (the operation that makes them took effect). */
  readonly found?: Readonly<Record<string, BoundValue>>;
  /** Why no plan of this runbook may be made now, in one sentence (the plan is refused). */
  readonly refusal?: string;
  /** What was found, in one sentence. */
  readonly detail: string;
  /** Things the admin must know: missing prerequisites, outdated seed steps. */
  readonly warnings: readonly string[];
}

/** A plan as admins see it and approvals bind to, and the schema a saved plan is read back with. */
import { z } from 'zod/v4';

export const CHANGES = ['create', 'update', 'delete', 'none'] as const;
export type Change = (typeof CHANGES)[number];

export interface PlanStep {
  readonly id: string;
  readonly title: string;
  readonly seedStep: string;
  readonly target: 'exchange' | 'graph';
  readonly change: Change;
  /** The exact command(s) the step would run, one per line: PowerShell for Exchange, the request for Graph. */
  readonly command: string;
  readonly detail: string;
  readonly warnings: readonly string[];
}

export interface Plan {
  readonly runbook: string;
  readonly title: string;
  readonly source: string;
  readonly caution: string | null;
  readonly notes: readonly string[];
  readonly steps: readonly PlanStep[];
  /** SHA-256 over the steps' ids, changes and commands: an approval binds to it. */
  readonly hash: string;
}

const planStepSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  seedStep: z.string(),
  target: z.enum(['exchange', 'graph']),
  change: z.enum(CHANGES),
  command: z.string(),
  detail: z.string(),
  warnings: z.array(z.string()),
});

/** A plan as saved: unknown keys are dropped, a missing or mistyped one is refused. */
export const planSchema: z.ZodType<Plan> = z.object({
  runbook: z.string().min(1),
  title: z.string(),
  source: z.string(),
  caution: z.string().nullable(),
  notes: z.array(z.string()),
  steps: z.array(planStepSchema),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * A saved plan: per step, the exact typed operations a run executes (EMS commands with their parameters, Graph
 * requests with method, path and body), the reads it was made from and when. An approval binds its hash, which
 * covers the operations and the reads (canonical JSON), not their prose. The schema reads a saved plan back.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod/v4';
import { canonicalJson } from './canonical-json';
import { CMDLET_NAMES, type CmdletName, type EmsCommand, type ParamValue } from './ems';

export const CHANGES = ['create', 'update', 'delete', 'none'] as const;
export type Change = (typeof CHANGES)[number];

/** A name an operation binds its output to (`$newCertificate`), and a field of it. */
const NAME = /^[a-z][A-Za-z0-9]{0,39}$/;
const FIELD = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * A value filled at run time from a field of an earlier operation's output: `$newCertificate.Thumbprint` on a
 * card. The approval covers the reference; the run fills it from the journaled output.
 */
export interface ValueRef {
  readonly $value: string;
  readonly field: string;
}

/** An EMS parameter: a literal, or a named value. */
export type OperationParam = ParamValue | ValueRef;

/** A Graph request body: JSON whose values may be named values. */
export type GraphBody =
  | string
  | number
  | boolean
  | null
  | ValueRef
  | readonly GraphBody[]
  | { readonly [key: string]: GraphBody };

/** One EMS command, exactly as it will run; `bind` names its first output object for later operations. */
export interface EmsOperation {
  readonly kind: 'ems';
  readonly cmdlet: CmdletName;
  readonly params: Readonly<Record<string, OperationParam>>;
  readonly bind?: string;
}

export const GRAPH_METHODS = ['GET', 'POST', 'PATCH', 'DELETE'] as const;

/** One Microsoft Graph request, exactly as it will be sent; `path` is relative to `/v1.0` and its parts are joined. */
export interface GraphOperation {
  readonly kind: 'graph';
  readonly method: (typeof GRAPH_METHODS)[number];
  readonly path: readonly (string | ValueRef)[];
  readonly body: GraphBody;
  readonly bind?: string;
}

export type Operation = EmsOperation | GraphOperation;

export interface PlanStep {
  readonly id: string;
  readonly title: string;
  readonly seedStep: string;
  readonly target: 'exchange' | 'graph';
  readonly change: Change;
  /** What a run of this plan executes for the step, in order. */
  readonly operations: readonly Operation[];
  /** The operations as shown to admins, one per line: PowerShell for Exchange, the request and its Graph PowerShell. */
  readonly command: string;
  readonly detail: string;
  readonly warnings: readonly string[];
  /** The Microsoft article the step follows. */
  readonly article?: { readonly title: string; readonly url: string };
}

/** What the plan was made from: the read-only EMS commands (one relay job) and the service principals (one `$batch`). */
export interface PlanReads {
  readonly ems: readonly EmsCommand[];
  readonly servicePrincipals: readonly string[];
}

export interface Plan {
  readonly runbook: string;
  readonly title: string;
  readonly source: string;
  readonly caution: string | null;
  readonly notes: readonly string[];
  /** When the org was read; a run re-diffs at this time, so dates computed from it stay the same. */
  readonly plannedAt: string;
  readonly reads: PlanReads;
  readonly steps: readonly PlanStep[];
  /** Runbooks whose applied runs set objects this plan changes: approval needs an acknowledgement then. */
  readonly overrides?: readonly string[];
  /** SHA-256 over the canonical JSON of the runbook, the reads and each step's id, change and operations. */
  readonly hash: string;
}

/** Whether a value in an operation is a named value. */
export function isValueRef(value: unknown): value is ValueRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { $value?: unknown }).$value === 'string'
  );
}

/** A named value, e.g. `valueRef('newCertificate', 'Thumbprint')`. */
export function valueRef(name: string, field: string): ValueRef {
  return { $value: name, field };
}

/** The hash an approval binds: SHA-256 over the canonical JSON of what a run would do. */
export function planHash(plan: Pick<Plan, 'runbook' | 'reads' | 'steps'>): string {
  return canonicalHash({
    runbook: plan.runbook,
    reads: plan.reads,
    steps: plan.steps.map((step) => ({ id: step.id, change: step.change, operations: step.operations })),
  });
}

/** SHA-256 (hex) of a value's canonical JSON. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

const valueRefSchema: z.ZodType<ValueRef> = z.strictObject({
  $value: z.string().regex(NAME),
  field: z.string().regex(FIELD),
});
const paramValueSchema = z.union([z.string(), z.boolean(), z.number(), z.array(z.string())]);
const graphBodySchema: z.ZodType<GraphBody> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    valueRefSchema,
    z.array(graphBodySchema),
    z.record(z.string(), graphBodySchema),
  ]),
);
const bindSchema = z.string().regex(NAME).optional();

const operationSchema: z.ZodType<Operation> = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('ems'),
    cmdlet: z.enum(CMDLET_NAMES),
    params: z.record(z.string(), z.union([paramValueSchema, valueRefSchema])),
    bind: bindSchema,
  }),
  z.strictObject({
    kind: z.literal('graph'),
    method: z.enum(GRAPH_METHODS),
    path: z.array(z.union([z.string(), valueRefSchema])).min(1),
    body: graphBodySchema,
    bind: bindSchema,
  }),
]) as z.ZodType<Operation>;

const planStepSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  seedStep: z.string(),
  target: z.enum(['exchange', 'graph']),
  change: z.enum(CHANGES),
  operations: z.array(operationSchema),
  command: z.string(),
  detail: z.string(),
  warnings: z.array(z.string()),
  article: z.object({ title: z.string(), url: z.url() }).optional(),
});

const readsSchema = z.object({
  ems: z.array(z.object({ cmdlet: z.enum(CMDLET_NAMES), params: z.record(z.string(), paramValueSchema) })),
  servicePrincipals: z.array(z.string()),
});

/** A plan as saved: unknown keys are dropped, a missing or mistyped one is refused. */
export const planSchema: z.ZodType<Plan> = z.object({
  runbook: z.string().min(1),
  title: z.string(),
  source: z.string(),
  caution: z.string().nullable(),
  notes: z.array(z.string()),
  plannedAt: z.iso.datetime(),
  reads: readsSchema,
  steps: z.array(planStepSchema),
  overrides: z.array(z.string()).optional(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
}) as z.ZodType<Plan>;

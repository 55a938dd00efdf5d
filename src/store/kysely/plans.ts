/** Saved plans on Kysely; a plan is read back through the plan schema, never trusted as it lies on disk. */
import type { Selectable } from 'kysely';
import { CodedError } from '../../core/errors';
import { type Plan, planSchema } from '../../core/plan';
import type { PlanRepository, SavedPlan } from '../bot-repositories';
import type { StoreContext } from './context';
import { precompiledRows, slot } from './precompiled';
import type { BotPlansTable } from './tables';

/**
 * The plans parsed last, by id, with the exact JSON each was parsed from. A saved plan never changes, and the
 * same bytes pass the same schema: reading it again (every click on its approval card, the run, its recovery)
 * skips the parse, while JSON that differs in any byte is parsed (and refused) anew. Frozen, as they are shared.
 */
const parsedPlans = new Map<string, { readonly json: string; readonly plan: Plan }>();
const PARSED_PLANS_KEPT = 256;

/** Parses a stored plan's JSON (once for the same id and bytes); throws CORRUPT_PLAN with where it went wrong. */
export function parseStoredPlan(planId: string, json: string): Plan {
  const known = parsedPlans.get(planId);
  if (known?.json === json) {
    parsedPlans.delete(planId);
    parsedPlans.set(planId, known);
    return known.plan;
  }
  const plan = deepFreeze(parsePlanJson(planId, json));
  parsedPlans.delete(planId);
  parsedPlans.set(planId, { json, plan });
  if (parsedPlans.size > PARSED_PLANS_KEPT) parsedPlans.delete(parsedPlans.keys().next().value as string);
  return plan;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function parsePlanJson(planId: string, json: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw corruptPlan(planId, 'it is not JSON', error);
  }
  const parsed = planSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'the plan';
  throw corruptPlan(planId, `${where}: ${issue?.message ?? 'does not match the plan schema'}`, parsed.error);
}

function corruptPlan(planId: string, why: string, cause: unknown): CodedError {
  return new CodedError('CORRUPT_PLAN', `Saved plan ${planId} cannot be read (${why}); nothing was run.`, {
    cause,
  });
}

function toSavedPlan(row: Selectable<BotPlansTable>): SavedPlan {
  return {
    id: row.id,
    runbook: row.runbook,
    inputs: row.inputs,
    hash: row.hash,
    plan: parseStoredPlan(row.id, row.plan),
    conversationId: row.conversation_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** The plan repository over `context`. */
export function createPlanRepository({ db }: StoreContext): PlanRepository {
  // Every click on an approval card reads its plan: compiled once.
  const planById = precompiledRows<Selectable<BotPlansTable>, { id: string }>(() =>
    db.selectFrom('bot_plans').selectAll().where('id', '=', slot<string>('id')),
  );
  return {
    async savePlan(plan) {
      await db
        .insertInto('bot_plans')
        .values({
          id: plan.id,
          runbook: plan.runbook,
          inputs: plan.inputs,
          hash: plan.hash,
          plan: JSON.stringify(plan.plan),
          conversation_id: plan.conversationId,
          created_by: plan.createdBy,
          created_at: plan.createdAt,
        })
        .execute();
    },
    async getPlan(id) {
      const [row] = await planById(db, { id });
      return row ? toSavedPlan(row) : null;
    },
    async recordPlanCard(planId, messageId) {
      const inserted = await db
        .insertInto('bot_plan_cards')
        .values({ plan_id: planId, message_id: messageId })
        .onConflict((conflict) => conflict.column('plan_id').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async getPlanCard(planId) {
      const row = await db
        .selectFrom('bot_plan_cards')
        .select('message_id')
        .where('plan_id', '=', planId)
        .executeTakeFirst();
      return row?.message_id ?? null;
    },
  };
}

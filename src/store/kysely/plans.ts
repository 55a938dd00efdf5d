/** Saved plans on Kysely; a plan is read back through the plan schema, never trusted as it lies on disk. */
import type { Selectable } from 'kysely';
import { CodedError } from '../../core/errors';
import { type Plan, planSchema } from '../../core/plan';
import type { PlanRepository, SavedPlan } from '../bot-repositories';
import type { StoreContext } from './context';
import type { BotPlansTable } from './tables';

/** Parses a stored plan's JSON; throws CORRUPT_PLAN with where it went wrong. */
export function parseStoredPlan(planId: string, json: string): Plan {
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
      const row = await db.selectFrom('bot_plans').selectAll().where('id', '=', id).executeTakeFirst();
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

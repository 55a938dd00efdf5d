/** Migrations of the bot's tables: saved plans and their cards, approvals (one per plan), conversation references. */
import { addColumnIfMissing, type MigrationDb, type ModuleMigrations } from './types';

async function createPlansAndApprovals(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('bot_plans')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('runbook', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  let approvals = db.schema
    .createTable('bot_approvals')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('bot_plans.id'));
  for (const column of [
    'conversation_id',
    'requester',
    'requester_name',
    'plan_hash',
    'approvers',
    'state',
  ]) {
    approvals = approvals.addColumn(column, 'text', (c) => c.notNull());
  }
  approvals = approvals
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull());
  for (const column of ['decided_by', 'decided_by_name', 'decided_at', 'run_id', 'message_id', 'reason']) {
    approvals = approvals.addColumn(column, 'text');
  }
  await approvals.execute();
  await db.schema
    .createIndex('bot_approvals_one_per_plan')
    .ifNotExists()
    .unique()
    .on('bot_approvals')
    .column('plan_id')
    .execute();
}

async function createConversations(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('bot_conversations')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .execute();
}

/** The message id of each plan card the bot posted: an approval updates that card and no other message. */
async function createPlanCards(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('bot_plan_cards')
    .ifNotExists()
    .addColumn('plan_id', 'text', (c) => c.primaryKey().references('bot_plans.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .execute();
}

/** The bot tables' migrations; the first adopts tables the synchronous bot store created. */
export const botMigrations: ModuleMigrations = () => ({
  'bot-0001-initial': {
    async up(db) {
      await createPlansAndApprovals(db);
      await createConversations(db);
    },
  },
  'bot-0002-plan-cards': {
    up: createPlanCards,
  },
  'bot-0003-run-cards': {
    // The run card's message and conversation, so a restarted bot can update it.
    async up(db) {
      for (const column of ['run_message_id', 'run_reference']) {
        await addColumnIfMissing(db, 'bot_approvals', column, 'text');
      }
    },
  },
});

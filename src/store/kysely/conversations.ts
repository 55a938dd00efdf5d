/** Conversation references on Kysely, for proactive posts. */
import type { ConversationRepository } from '../bot-repositories';
import type { StoreContext } from './context';
import { precompiled, slot } from './precompiled';

/** The conversation repository over `context`; `Reference` is the JSON shape the caller saves. */
export function createConversationRepository<Reference extends object>({
  db,
}: StoreContext): ConversationRepository<Reference> {
  // Every admin-channel message refreshes the reference: the WHERE makes an unchanged one a no-op, in the
  // database rather than in a per-process cache, so it holds for several processes too. It runs on every
  // such message, so it is compiled once.
  const upsert = precompiled<{ key: string; reference: string; at: string }>(() =>
    db
      .insertInto('bot_conversations')
      .values({ key: slot('key'), reference: slot('reference'), updated_at: slot('at'), removed_at: null })
      .onConflict((conflict) =>
        conflict
          .column('key')
          .doUpdateSet((eb) => ({
            reference: eb.ref('excluded.reference'),
            updated_at: eb.ref('excluded.updated_at'),
            removed_at: null,
          }))
          .where((eb) =>
            eb.or([
              eb('bot_conversations.reference', '<>', eb.ref('excluded.reference')),
              eb('bot_conversations.removed_at', 'is not', null),
            ]),
          ),
      ),
  );
  return {
    async saveReference(key, reference, at) {
      await upsert(db, { key, reference: JSON.stringify(reference), at });
    },
    async getReference(key) {
      const row = await db
        .selectFrom('bot_conversations')
        .select(['reference', 'updated_at', 'removed_at'])
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) return null;
      return {
        reference: JSON.parse(row.reference) as Reference,
        updatedAt: row.updated_at,
        removedAt: row.removed_at,
      };
    },
    async markReferenceRemoved(key, at) {
      await db.updateTable('bot_conversations').set({ removed_at: at }).where('key', '=', key).execute();
    },
  };
}

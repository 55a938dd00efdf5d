/** Conversation references on Kysely, for proactive posts. */
import { type ConversationRepository, REFERENCE_RECHECK_MS } from '../bot-repositories';
import type { StoreContext } from './context';
import { precompiled, slot } from './precompiled';

/** The conversation repository over `context`; `Reference` is the JSON shape the caller saves. */
export function createConversationRepository<Reference extends object>({
  db,
}: StoreContext): ConversationRepository<Reference> {
  // The WHERE makes an unchanged reference a no-op in the database, so several processes may save it. Every
  // admin-channel message refreshes it, so it is compiled once.
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
  // What this process last saved under each key, and when: a refresh of the same reference within
  // REFERENCE_RECHECK_MS does not reach the database.
  const saved = new Map<string, { readonly json: string; readonly at: number }>();
  const save = async (key: string, json: string, at: string) => {
    await upsert(db, { key, reference: json, at });
    saved.set(key, { json, at: Date.parse(at) });
  };
  return {
    async saveReference(key, reference, at) {
      await save(key, JSON.stringify(reference), at);
    },
    async refreshReference(key, reference, at) {
      const json = JSON.stringify(reference);
      const last = saved.get(key);
      const age = Date.parse(at) - (last?.at ?? Number.NEGATIVE_INFINITY);
      if (last?.json === json && age >= 0 && age < REFERENCE_RECHECK_MS) return;
      await save(key, json, at);
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
      saved.delete(key);
      await db.updateTable('bot_conversations').set({ removed_at: at }).where('key', '=', key).execute();
    },
  };
}

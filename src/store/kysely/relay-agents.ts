/** The relay's agent registry on Kysely: only a SHA-256 of each agent's secret is kept. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AgentRecord, RelayRepository } from '../relay-repository';
import { rowsTouched, type StoreContext } from './context';
import type { RelayAgentsTable } from './tables';

type AgentMethods = Pick<
  RelayRepository,
  'addAgent' | 'rotateAgent' | 'revokeAgent' | 'authenticate' | 'getAgent' | 'listAgents' | 'touchAgent'
>;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function toAgent(row: Selectable<RelayAgentsTable>): AgentRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
    revokedAt: row.revoked_at,
    lastSeenAt: row.last_seen_at,
    version: row.version,
  };
}

/** The agent half of the relay repository over `context`. */
export function createAgentRegistry({ db }: StoreContext): AgentMethods {
  const agentRow = (id: string) =>
    db.selectFrom('relay_agents').selectAll().where('id', '=', id).executeTakeFirst();
  return {
    async addAgent(id, at) {
      const secret = newSecret();
      const result = await db
        .insertInto('relay_agents')
        .values({ id, secret_hash: hashSecret(secret), created_at: at })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .executeTakeFirst();
      return rowsTouched(result) === 1 ? { outcome: 'added', secret } : { outcome: 'exists' };
    },
    async rotateAgent(id, at) {
      const secret = newSecret();
      const result = await db
        .updateTable('relay_agents')
        .set({ secret_hash: hashSecret(secret), rotated_at: at, revoked_at: null })
        .where('id', '=', id)
        .executeTakeFirst();
      return rowsTouched(result) === 1 ? { outcome: 'rotated', secret } : { outcome: 'unknown-agent' };
    },
    async revokeAgent(id, at) {
      const result = await db
        .updateTable('relay_agents')
        .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(at)) }))
        .where('id', '=', id)
        .executeTakeFirst();
      return rowsTouched(result) === 1;
    },
    async authenticate(id, secret) {
      const row = await agentRow(id);
      if (!row) return 'unknown';
      const given = Buffer.from(hashSecret(secret), 'hex');
      const known = Buffer.from(row.secret_hash, 'hex');
      if (given.length !== known.length || !timingSafeEqual(given, known)) return 'bad-credential';
      return row.revoked_at ? 'revoked' : 'ok';
    },
    async getAgent(id) {
      const row = await agentRow(id);
      return row ? toAgent(row) : null;
    },
    async listAgents() {
      const rows = await db.selectFrom('relay_agents').selectAll().orderBy('id').execute();
      return rows.map(toAgent);
    },
    async touchAgent(id, at, version) {
      await db
        .updateTable('relay_agents')
        .set((eb) => ({ last_seen_at: at, version: eb.fn.coalesce(eb.val(version ?? null), 'version') }))
        .where('id', '=', id)
        .execute();
    },
  };
}

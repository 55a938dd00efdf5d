/** The replicas' shared state on Kysely; the advisory lock and NOTIFY are PostgreSQL's (not needed by one process on SQLite). */
import { sql } from 'kysely';
import type { ClusterRepository } from '../cluster-repository';
import { atomically, rowsTouched, type StoreContext } from './context';

/** How many rows a raw statement touched. */
function touched(result: { numAffectedRows?: bigint }): number {
  return Number(result.numAffectedRows ?? 0n);
}

/** The cluster repository over `context`. */
export function createClusterRepository({ db, dialect }: StoreContext): ClusterRepository {
  const live = (replica: ReturnType<typeof sql.ref>, now: string) =>
    sql<boolean>`exists (select 1 from cluster_replicas p where p.id = ${replica} and p.lease_until > ${now})`;
  const agentHolder: ClusterRepository['agentHolder'] = async (agentId, now) => {
    const row = await db
      .selectFrom('cluster_agent_routes as r')
      .innerJoin('cluster_replicas as p', 'p.id', 'r.replica_id')
      .select(['r.replica_id', 'p.lease_until'])
      .where('r.agent_id', '=', agentId)
      .where('p.lease_until', '>', now)
      .executeTakeFirst();
    return row ? { replicaId: row.replica_id, leaseUntil: row.lease_until } : null;
  };
  return {
    async renewReplica(id, startedAt, leaseUntil) {
      await db
        .insertInto('cluster_replicas')
        .values({ id, started_at: startedAt, lease_until: leaseUntil })
        .onConflict((oc) => oc.column('id').doUpdateSet({ lease_until: leaseUntil }))
        .execute();
    },
    async removeReplica(id) {
      await db.deleteFrom('cluster_replicas').where('id', '=', id).execute();
    },
    async liveReplicas(now) {
      const rows = await db
        .selectFrom('cluster_replicas')
        .select('id')
        .where('lease_until', '>', now)
        .execute();
      return rows.map((row) => row.id);
    },
    async setAgentRoute(agentId, replicaId, at) {
      await db
        .insertInto('cluster_agent_routes')
        .values({ agent_id: agentId, replica_id: replicaId, since: at })
        .onConflict((oc) => oc.column('agent_id').doUpdateSet({ replica_id: replicaId, since: at }))
        .execute();
    },
    async clearAgentRoute(agentId, replicaId) {
      await db
        .deleteFrom('cluster_agent_routes')
        .where('agent_id', '=', agentId)
        .where('replica_id', '=', replicaId)
        .execute();
    },
    async agentRoute(agentId, now) {
      return (await agentHolder(agentId, now))?.replicaId ?? null;
    },
    agentHolder,
    async agentRoutes(now) {
      const rows = await db
        .selectFrom('cluster_agent_routes as r')
        .select(['r.agent_id', 'r.replica_id'])
        .where(live(sql.ref('r.replica_id'), now))
        .execute();
      return new Map(rows.map((row) => [row.agent_id, row.replica_id]));
    },
    async claimRun(runId, replicaId, now, unownedBefore) {
      const result = await sql`
        insert into cluster_run_owners (run_id, replica_id, since)
        select id, ${replicaId}, ${now} from runs where id = ${runId} and created_at < ${unownedBefore}
        on conflict (run_id) do update set replica_id = excluded.replica_id, since = excluded.since
        where cluster_run_owners.replica_id = excluded.replica_id
          or not ${live(sql.ref('cluster_run_owners.replica_id'), now)}`.execute(db);
      return touched(result) > 0;
    },
    async orphanedRuns(target, now, unownedBefore) {
      const rows = await db
        .selectFrom('runs as r')
        .leftJoin('cluster_run_owners as o', 'o.run_id', 'r.id')
        .select('r.id')
        .where('r.state', '=', 'running')
        .where('r.approved_by', 'is not', null)
        .where('r.target', '=', target)
        .where((eb) =>
          eb.or([
            eb.and([eb('o.run_id', 'is', null), eb('r.created_at', '<', unownedBefore)]),
            eb.and([eb('o.run_id', 'is not', null), eb.not(live(sql.ref('o.replica_id'), now))]),
          ]),
        )
        .orderBy('r.created_at')
        .execute();
      return rows.map((row) => row.id);
    },
    async claimWatchSlot(orgId, slot, replicaId) {
      const claim = async (trx: typeof db) => {
        if (dialect === 'postgres') {
          const key = `hybridops:watch:${orgId}`;
          const { rows } = await sql<{ locked: boolean }>`
            select pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) as locked`.execute(trx);
          if (!rows[0]?.locked) return false;
          // A claim lost with a crash of the server costs one scan twice at most: not worth a flush.
          await sql`set local synchronous_commit = off`.execute(trx);
        }
        const result = await trx
          .insertInto('cluster_watch_slots')
          .values({ org_id: orgId, slot, replica_id: replicaId })
          .onConflict((oc) =>
            oc
              .column('org_id')
              .doUpdateSet({ slot, replica_id: replicaId })
              .where('cluster_watch_slots.slot', '<', slot),
          )
          .executeTakeFirst();
        return rowsTouched(result) > 0;
      };
      return atomically(db, claim);
    },
    async notify(channel, payload) {
      // Without waiting for the commit to reach the disk: a notification only says "look now", and
      // what it points at is in tables written and flushed before it.
      if (dialect === 'postgres')
        await sql`select set_config('synchronous_commit', 'off', true), pg_notify(${channel}, ${payload})`.execute(
          db,
        );
    },
  };
}

/** The replicas' shared state on Kysely; the advisory lock and NOTIFY are PostgreSQL's (not needed by one process on SQLite). */
import { sql } from 'kysely';
import type { ClusterRepository } from '../cluster-repository';
import type { StoreContext } from './context';

/** How many rows a raw statement touched. */
function touched(result: { numAffectedRows?: bigint }): number {
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * A condition that is always true and, on PostgreSQL outside a wider transaction, lets the statement's
 * transaction commit without waiting for the WAL flush.
 */
function postgresQuick(db: StoreContext['db'], dialect: StoreContext['dialect']) {
  return dialect === 'postgres' && !db.isTransaction
    ? sql<boolean>`set_config('synchronous_commit', 'off', true) is not null`
    : sql<boolean>`true`;
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
  const claimWatchSlots: ClusterRepository['claimWatchSlots'] = async (orgIds, slot, replicaId) => {
    const orgs = [...new Set(orgIds)];
    if (orgs.length === 0) return [];
    if (dialect === 'postgres') {
      // One statement for the whole batch. An org whose advisory lock another replica holds right now is
      // being claimed by it: skipped, never waited for. A claim lost with a crash of the server costs one
      // scan twice at most: committed without waiting for the flush (unless inside a wider transaction).
      const quick = postgresQuick(db, dialect);
      const { rows } = await sql<{ org_id: string }>`
        insert into cluster_watch_slots (org_id, slot, replica_id)
        select o.org_id, ${slot}, ${replicaId} from unnest(${orgs}::text[]) as o(org_id)
        where ${quick} and pg_try_advisory_xact_lock(hashtextextended('hybridops:watch:' || o.org_id, 0))
        on conflict (org_id) do update set slot = excluded.slot, replica_id = excluded.replica_id
          where cluster_watch_slots.slot < excluded.slot
        returning org_id`.execute(db);
      return rows.map((row) => row.org_id);
    }
    const rows = await db
      .insertInto('cluster_watch_slots')
      .values(orgs.map((org) => ({ org_id: org, slot, replica_id: replicaId })))
      .onConflict((oc) =>
        oc
          .column('org_id')
          .doUpdateSet({ slot, replica_id: replicaId })
          .where('cluster_watch_slots.slot', '<', slot),
      )
      .returning('org_id')
      .execute();
    return rows.map((row) => row.org_id);
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
      return (await claimWatchSlots([orgId], slot, replicaId)).length > 0;
    },
    claimWatchSlots,
    async finishWatchSlots(orgIds, slot) {
      if (orgIds.length === 0) return;
      // A table of its own, so marking a scan finished never waits for a claim's row lock, nor a claim for
      // it; sorted, so two replicas marking the same orgs lock them in one order. Lost with a crash of the
      // server, a mark costs one scan twice at most: committed without waiting for the flush.
      const orgs = [...new Set(orgIds)].sort();
      if (dialect === 'postgres') {
        await sql`
          insert into cluster_watch_finished (org_id, slot)
          select o.org_id, ${slot} from unnest(${orgs}::text[]) as o(org_id) where ${postgresQuick(db, dialect)}
          on conflict (org_id) do update set slot = excluded.slot where cluster_watch_finished.slot < excluded.slot`.execute(
          db,
        );
        return;
      }
      await db
        .insertInto('cluster_watch_finished')
        .values(orgs.map((org) => ({ org_id: org, slot })))
        .onConflict((oc) =>
          oc.column('org_id').doUpdateSet({ slot }).where('cluster_watch_finished.slot', '<', slot),
        )
        .execute();
    },
    async takeOverWatchSlots(orgIds, slot, replicaId, now) {
      if (orgIds.length === 0) return { taken: [], waiting: [] };
      const unfinished = sql<boolean>`not exists (select 1 from cluster_watch_finished f
        where f.org_id = cluster_watch_slots.org_id and f.slot >= cluster_watch_slots.slot)`;
      // Under the org's advisory lock, as a claim: a replica claiming or taking over the org at this
      // instant has it. The update re-checks the holder's lease on the row it locked: one replica takes each.
      const locked =
        dialect === 'postgres'
          ? sql<boolean>`pg_try_advisory_xact_lock(hashtextextended('hybridops:watch:' || cluster_watch_slots.org_id, 0))`
          : sql<boolean>`true`;
      const taken = await db
        .updateTable('cluster_watch_slots')
        .set({ replica_id: replicaId })
        .where('org_id', 'in', orgIds)
        .where('slot', '=', slot)
        .where(unfinished)
        .where((eb) => eb.not(live(sql.ref('cluster_watch_slots.replica_id'), now)))
        .where(locked)
        .returning('org_id')
        .execute();
      const waiting = await db
        .selectFrom('cluster_watch_slots')
        .select('org_id')
        .where('org_id', 'in', orgIds)
        .where('slot', '=', slot)
        .where('replica_id', '!=', replicaId)
        .where(unfinished)
        .execute();
      return { taken: taken.map((row) => row.org_id), waiting: waiting.map((row) => row.org_id) };
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

/** The watch's state on Kysely: settings per org, check states, threshold marks and alerts. */
import type { Selectable } from 'kysely';
import type { AlertRecord, WatchedOrgDocument, WatchRepository, WatchSettings } from '../watch-repository';
import { atomically, type StoreContext } from './context';
import type { WatchAlertsTable, WatchOrgsTable } from './tables';

function toSettings<Org extends WatchedOrgDocument>(row: Selectable<WatchOrgsTable>): WatchSettings<Org> {
  return {
    org: JSON.parse(row.org) as Org,
    enabled: Number(row.enabled) === 1,
    thresholds: JSON.parse(row.thresholds) as number[],
    schedule: row.schedule,
    lastScanAt: row.last_scan_at,
    lastScanOutcome: row.last_scan_outcome,
  };
}

function toAlert<Card>(row: Selectable<WatchAlertsTable>): AlertRecord<Card> {
  return {
    id: row.id,
    orgId: row.org_id,
    createdAt: row.created_at,
    state: row.state,
    subjects: JSON.parse(row.subjects) as string[],
    card: JSON.parse(row.card) as Card,
    messageId: row.message_id,
    snoozedUntil: row.snoozed_until,
  };
}

/** The watch repository over `context`; `Org` and `Card` are the JSON documents the caller saves. */
export function createWatchRepository<Org extends WatchedOrgDocument, Card>({
  db,
}: StoreContext): WatchRepository<Org, Card> {
  const alertsOf = (orgId: string, activeOnly: boolean) => {
    let select = db.selectFrom('watch_alerts').selectAll().where('org_id', '=', orgId);
    if (activeOnly) select = select.where('state', '!=', 'resolved');
    return select.orderBy('created_at').orderBy('id').execute();
  };
  return {
    async saveSettings(settings) {
      const row = {
        org_id: settings.org.id,
        org: JSON.stringify(settings.org),
        enabled: settings.enabled ? 1 : 0,
        thresholds: JSON.stringify(settings.thresholds),
        schedule: settings.schedule,
      };
      await db
        .insertInto('watch_orgs')
        .values(row)
        .onConflict((conflict) =>
          conflict.column('org_id').doUpdateSet({
            org: row.org,
            enabled: row.enabled,
            thresholds: row.thresholds,
            schedule: row.schedule,
          }),
        )
        .execute();
    },
    async settings(orgId) {
      const row = await db
        .selectFrom('watch_orgs')
        .selectAll()
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return row ? toSettings<Org>(row) : null;
    },
    async allSettings() {
      const rows = await db.selectFrom('watch_orgs').selectAll().orderBy('org_id').execute();
      return rows.map((row) => toSettings<Org>(row));
    },
    async recordScan(orgId, at, outcome) {
      await db
        .updateTable('watch_orgs')
        .set({ last_scan_at: at, last_scan_outcome: outcome })
        .where('org_id', '=', orgId)
        .execute();
    },
    async checkStates(orgId) {
      const rows = await db.selectFrom('watch_check_state').selectAll().where('org_id', '=', orgId).execute();
      return new Map(
        rows.map((row) => [
          row.check_id,
          { ok: Number(row.ok) === 1, alerted: Number(row.alerted) === 1, since: row.since },
        ]),
      );
    },
    async marks(orgId) {
      const rows = await db
        .selectFrom('watch_threshold_marks')
        .select(['item_id', 'threshold'])
        .where('org_id', '=', orgId)
        .execute();
      return new Set(rows.map((row) => `${row.item_id}|${Number(row.threshold)}`));
    },
    commitScan: (orgId, at, checks, marks, alert) =>
      atomically(db, async (trx) => {
        for (const [checkId, state] of checks) {
          const values = { ok: state.ok ? 1 : 0, alerted: state.alerted ? 1 : 0, since: state.since };
          await trx
            .insertInto('watch_check_state')
            .values({ org_id: orgId, check_id: checkId, ...values })
            .onConflict((conflict) => conflict.columns(['org_id', 'check_id']).doUpdateSet(values))
            .execute();
        }
        for (const mark of marks) {
          await trx
            .insertInto('watch_threshold_marks')
            .values({ org_id: orgId, item_id: mark.itemId, threshold: mark.threshold, at })
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        }
        if (!alert) return;
        await trx
          .insertInto('watch_alerts')
          .values({
            id: alert.id,
            org_id: orgId,
            created_at: alert.createdAt,
            state: alert.state,
            subjects: JSON.stringify(alert.subjects),
            card: JSON.stringify(alert.card),
          })
          .execute();
      }),
    async alert(id) {
      const row = await db.selectFrom('watch_alerts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toAlert<Card>(row) : null;
    },
    activeAlerts: async (orgId) => (await alertsOf(orgId, true)).map((row) => toAlert<Card>(row)),
    alerts: async (orgId) => (await alertsOf(orgId, false)).map((row) => toAlert<Card>(row)),
    async updateAlert(id, state, card, snoozedUntil, resolvedAt) {
      await db
        .updateTable('watch_alerts')
        .set({ state, card: JSON.stringify(card), snoozed_until: snoozedUntil, resolved_at: resolvedAt })
        .where('id', '=', id)
        .execute();
    },
    async markPosted(id, messageId) {
      await db.updateTable('watch_alerts').set({ message_id: messageId }).where('id', '=', id).execute();
    },
  };
}

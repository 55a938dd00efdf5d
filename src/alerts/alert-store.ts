/** The watch's tables on the shared SQLite database: watched orgs, check states, threshold marks, alerts. */
import type { SqliteDatabase } from '../store/database';
import type { AlertCard, AlertState, WatchedOrg } from './types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS watch_orgs (
  org_id TEXT PRIMARY KEY, org TEXT NOT NULL, enabled INTEGER NOT NULL, thresholds TEXT NOT NULL,
  schedule TEXT NOT NULL, last_scan_at TEXT, last_scan_outcome TEXT
);
CREATE TABLE IF NOT EXISTS watch_check_state (
  org_id TEXT NOT NULL, check_id TEXT NOT NULL, ok INTEGER NOT NULL, alerted INTEGER NOT NULL, since TEXT NOT NULL,
  PRIMARY KEY (org_id, check_id)
);
CREATE TABLE IF NOT EXISTS watch_threshold_marks (
  org_id TEXT NOT NULL, item_id TEXT NOT NULL, threshold INTEGER NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY (org_id, item_id, threshold)
);
CREATE TABLE IF NOT EXISTS watch_alerts (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, created_at TEXT NOT NULL, state TEXT NOT NULL,
  subjects TEXT NOT NULL, card TEXT NOT NULL, message_id TEXT, snoozed_until TEXT, resolved_at TEXT
);
CREATE INDEX IF NOT EXISTS watch_alerts_org ON watch_alerts (org_id, state);
`;

export interface WatchSettings {
  readonly org: WatchedOrg;
  readonly enabled: boolean;
  readonly thresholds: readonly number[];
  /** Cron pattern of the scans. */
  readonly schedule: string;
  readonly lastScanAt: string | null;
  readonly lastScanOutcome: string | null;
}

export interface CheckState {
  readonly ok: boolean;
  readonly alerted: boolean;
  readonly since: string;
}

export interface AlertRecord {
  readonly id: string;
  readonly orgId: string;
  readonly createdAt: string;
  readonly state: AlertState;
  /** `check:<id>` and `item:<id>` keys the alert is about. */
  readonly subjects: readonly string[];
  readonly card: AlertCard;
  readonly messageId: string | null;
  readonly snoozedUntil: string | null;
}

type Row = Record<string, unknown>;
const toSettings = (row: Row): WatchSettings => ({
  org: JSON.parse(String(row.org)) as WatchedOrg,
  enabled: row.enabled === 1,
  thresholds: JSON.parse(String(row.thresholds)) as number[],
  schedule: String(row.schedule),
  lastScanAt: (row.last_scan_at as string | null) ?? null,
  lastScanOutcome: (row.last_scan_outcome as string | null) ?? null,
});
const toAlert = (row: Row): AlertRecord => ({
  id: String(row.id),
  orgId: String(row.org_id),
  createdAt: String(row.created_at),
  state: row.state as AlertState,
  subjects: JSON.parse(String(row.subjects)) as string[],
  card: JSON.parse(String(row.card)) as AlertCard,
  messageId: (row.message_id as string | null) ?? null,
  snoozedUntil: (row.snoozed_until as string | null) ?? null,
});

/** Creates the watch's tables on `db` (idempotent) and returns its queries. */
export function createAlertStore(db: SqliteDatabase) {
  db.exec(SCHEMA);
  const q = {
    upsertOrg: db.prepare(
      `INSERT INTO watch_orgs (org_id, org, enabled, thresholds, schedule) VALUES (@id, @org, @enabled, @thresholds, @schedule)
       ON CONFLICT(org_id) DO UPDATE SET org = excluded.org, enabled = excluded.enabled, thresholds = excluded.thresholds, schedule = excluded.schedule`,
    ),
    org: db.prepare('SELECT * FROM watch_orgs WHERE org_id = ?'),
    orgs: db.prepare('SELECT * FROM watch_orgs ORDER BY org_id'),
    scanned: db.prepare('UPDATE watch_orgs SET last_scan_at = ?, last_scan_outcome = ? WHERE org_id = ?'),
    checks: db.prepare('SELECT * FROM watch_check_state WHERE org_id = ?'),
    putCheck: db.prepare(
      `INSERT INTO watch_check_state (org_id, check_id, ok, alerted, since) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(org_id, check_id) DO UPDATE SET ok = excluded.ok, alerted = excluded.alerted, since = excluded.since`,
    ),
    marks: db.prepare('SELECT item_id, threshold FROM watch_threshold_marks WHERE org_id = ?'),
    putMark: db.prepare(
      'INSERT OR IGNORE INTO watch_threshold_marks (org_id, item_id, threshold, at) VALUES (?, ?, ?, ?)',
    ),
    insertAlert: db.prepare(
      'INSERT INTO watch_alerts (id, org_id, created_at, state, subjects, card) VALUES (@id, @orgId, @createdAt, @state, @subjects, @card)',
    ),
    alert: db.prepare('SELECT * FROM watch_alerts WHERE id = ?'),
    activeAlerts: db.prepare(
      "SELECT * FROM watch_alerts WHERE org_id = ? AND state != 'resolved' ORDER BY created_at, id",
    ),
    allAlerts: db.prepare('SELECT * FROM watch_alerts WHERE org_id = ? ORDER BY created_at, id'),
    setAlert: db.prepare(
      'UPDATE watch_alerts SET state = @state, card = @card, snoozed_until = @snoozedUntil, resolved_at = @resolvedAt WHERE id = @id',
    ),
    posted: db.prepare('UPDATE watch_alerts SET message_id = ? WHERE id = ?'),
  };
  return {
    saveSettings(settings: Omit<WatchSettings, 'lastScanAt' | 'lastScanOutcome'>): void {
      q.upsertOrg.run({
        id: settings.org.id,
        org: JSON.stringify(settings.org),
        enabled: settings.enabled ? 1 : 0,
        thresholds: JSON.stringify(settings.thresholds),
        schedule: settings.schedule,
      });
    },
    settings: (orgId: string): WatchSettings | null => {
      const row = q.org.get(orgId) as Row | undefined;
      return row ? toSettings(row) : null;
    },
    allSettings: (): WatchSettings[] => (q.orgs.all() as Row[]).map(toSettings),
    recordScan: (orgId: string, at: string, outcome: string) => void q.scanned.run(at, outcome, orgId),
    checkStates(orgId: string): Map<string, CheckState> {
      const rows = q.checks.all(orgId) as Row[];
      return new Map(
        rows.map((row) => [
          String(row.check_id),
          { ok: row.ok === 1, alerted: row.alerted === 1, since: String(row.since) },
        ]),
      );
    },
    marks(orgId: string): Set<string> {
      return new Set(
        (q.marks.all(orgId) as Row[]).map((row) => `${String(row.item_id)}|${Number(row.threshold)}`),
      );
    },
    /** Saves a scan's outcome in one transaction: check states, threshold marks and the new alert, if any. */
    commitScan: db.transaction(
      (
        orgId: string,
        at: string,
        checks: ReadonlyMap<string, CheckState>,
        marks: readonly { itemId: string; threshold: number }[],
        alert: AlertRecord | null,
      ) => {
        for (const [checkId, state] of checks)
          q.putCheck.run(orgId, checkId, state.ok ? 1 : 0, state.alerted ? 1 : 0, state.since);
        for (const mark of marks) q.putMark.run(orgId, mark.itemId, mark.threshold, at);
        if (alert) {
          q.insertAlert.run({
            id: alert.id,
            orgId,
            createdAt: alert.createdAt,
            state: alert.state,
            subjects: JSON.stringify(alert.subjects),
            card: JSON.stringify(alert.card),
          });
        }
      },
    ),
    alert: (id: string): AlertRecord | null => {
      const row = q.alert.get(id) as Row | undefined;
      return row ? toAlert(row) : null;
    },
    activeAlerts: (orgId: string): AlertRecord[] => (q.activeAlerts.all(orgId) as Row[]).map(toAlert),
    alerts: (orgId: string): AlertRecord[] => (q.allAlerts.all(orgId) as Row[]).map(toAlert),
    updateAlert(
      id: string,
      state: AlertState,
      card: AlertCard,
      snoozedUntil: string | null,
      resolvedAt: string | null,
    ): void {
      q.setAlert.run({ id, state, card: JSON.stringify(card), snoozedUntil, resolvedAt });
    },
    markPosted: (id: string, messageId: string) => void q.posted.run(messageId, id),
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;

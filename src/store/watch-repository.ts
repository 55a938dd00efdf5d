/** The watch's records: watched orgs and their settings, check states, threshold marks and alerts. */

export type AlertState = 'open' | 'acknowledged' | 'snoozed' | 'resolved';

/** What the store needs of a watched org: its id. The rest is the caller's JSON document. */
export interface WatchedOrgDocument {
  readonly id: string;
}

export interface WatchSettings<Org extends WatchedOrgDocument = WatchedOrgDocument> {
  readonly org: Org;
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

/** A threshold crossed for an expiring item, recorded so it alerts once. */
export interface ThresholdMark {
  readonly itemId: string;
  readonly threshold: number;
}

export interface AlertRecord<Card = unknown> {
  readonly id: string;
  readonly orgId: string;
  readonly createdAt: string;
  readonly state: AlertState;
  /** `check:<id>` and `item:<id>` keys the alert is about. */
  readonly subjects: readonly string[];
  /** The card as the caller built it, kept as JSON. */
  readonly card: Card;
  readonly messageId: string | null;
  readonly snoozedUntil: string | null;
}

/** The watch's state; it survives restarts, so an alert is raised once per crossing, not once per process. */
export interface WatchRepository<Org extends WatchedOrgDocument = WatchedOrgDocument, Card = unknown> {
  /** Creates or replaces an org's settings; the last scan stays. */
  saveSettings(settings: Omit<WatchSettings<Org>, 'lastScanAt' | 'lastScanOutcome'>): Promise<void>;
  settings(orgId: string): Promise<WatchSettings<Org> | null>;
  /** Every watched org, by id. */
  allSettings(): Promise<WatchSettings<Org>[]>;
  recordScan(orgId: string, at: string, outcome: string): Promise<void>;
  checkStates(orgId: string): Promise<Map<string, CheckState>>;
  /** The org's threshold marks as `<itemId>|<threshold>` keys. */
  marks(orgId: string): Promise<Set<string>>;
  /** Saves a scan's outcome in one transaction: check states, threshold marks and the new alert, if any. */
  commitScan(
    orgId: string,
    at: string,
    checks: ReadonlyMap<string, CheckState>,
    marks: readonly ThresholdMark[],
    alert: AlertRecord<Card> | null,
  ): Promise<void>;
  alert(id: string): Promise<AlertRecord<Card> | null>;
  /** The org's alerts that are not resolved, oldest first. */
  activeAlerts(orgId: string): Promise<AlertRecord<Card>[]>;
  /** Every alert of the org, oldest first. */
  alerts(orgId: string): Promise<AlertRecord<Card>[]>;
  /** Acknowledge, snooze, resolve: the new state, the card that shows it, and its times. */
  updateAlert(
    id: string,
    state: AlertState,
    card: Card,
    snoozedUntil: string | null,
    resolvedAt: string | null,
  ): Promise<void>;
  markPosted(id: string, messageId: string): Promise<void>;
}

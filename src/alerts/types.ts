/** The watch's data: orgs watched, alert cards, and the Notifier the Teams surface implements. */
import type { ManagedOrg } from '../runbooks/types';
import type { AlertState, AlertRecord as StoredAlert, WatchRepository } from '../store/watch-repository';

export type { AlertState, CheckState, ThresholdMark } from '../store/watch-repository';

/** An org the watch scans on a schedule (its runbook's checks), and where its alerts go. */
export interface WatchedOrg extends ManagedOrg {
  /** Where alerts go: the Teams channel's conversation id, as the Notifier knows it. */
  readonly channelId: string;
}

/** A Teams card verb and its data: the card carries ids only, the server holds the rest. */
export interface CardAction {
  readonly verb: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface DriftLine {
  readonly checkId: string;
  readonly title: string;
  readonly detail: string;
  readonly fix: string;
}

export interface ExpiryLine {
  readonly itemId: string;
  readonly title: string;
  readonly at: string;
  readonly daysLeft: number;
  /** The threshold crossed (0: the date has come). */
  readonly threshold: number;
  readonly where: readonly string[];
}

/** What an alert card shows; the Teams surface renders it. */
export interface AlertCard {
  readonly alertId: string;
  readonly orgId: string;
  readonly orgName: string;
  readonly state: AlertState;
  readonly severity: 'warning' | 'critical';
  readonly title: string;
  readonly createdAt: string;
  readonly drift: readonly DriftLine[];
  readonly expiries: readonly ExpiryLine[];
  /** Who acknowledged or snoozed it, and until when, once someone has. */
  readonly note: string | null;
  readonly actions: {
    readonly acknowledge: CardAction | null;
    readonly snooze: CardAction | null;
    /** "Plan the fix": starts the matching runbook's plan. */
    readonly planFix: CardAction | null;
  };
}

/** The watch's state in the store: its settings, memory and alerts, over the watch's own documents. */
export type AlertStore = WatchRepository<WatchedOrg, AlertCard>;

/** A raised alert as the store keeps it, with the card the watch built. */
export type AlertRecord = StoredAlert<AlertCard>;

/** Posts alert cards to a channel; the Teams surface implements it with proactive messages. */
export interface Notifier {
  /** Posts a new card; resolves with the message id used for later updates. */
  postAlert(channelId: string, card: AlertCard): Promise<{ messageId: string }>;
  /** Replaces a posted card (acknowledged, snoozed, resolved). */
  updateAlert(channelId: string, messageId: string, card: AlertCard): Promise<void>;
}

/** Card verbs, as constants the Teams surface routes on. */
export const ALERT_VERBS = {
  acknowledge: 'alert.acknowledge',
  snooze: 'alert.snooze',
  planFix: 'plan',
} as const;

/** The watch: watched orgs, their schedules and thresholds, scans, and acknowledge/snooze from the card. */

import { CodedError, errorMessage } from '../core/errors';
import { withState } from './alert-card';
import { type ScanDeps, type ScanOutcome, scanOrg } from './scan-org';
import { DEFAULT_SCHEDULE, nextScans, validateSchedule, WatchScheduler } from './schedule';
import { DEFAULT_THRESHOLDS, parseThresholds } from './thresholds';
import type { AlertCard, AlertRecord, WatchedOrg } from './types';

/** What `watch status` shows. */
export interface WatchStatus {
  readonly orgId: string;
  readonly orgName: string;
  readonly enabled: boolean;
  readonly thresholds: readonly number[];
  readonly schedule: string;
  readonly nextScanAt: string | null;
  readonly lastScanAt: string | null;
  readonly lastScanOutcome: string | null;
  readonly activeAlerts: readonly AlertCard[];
}

export interface WatchOptions {
  readonly thresholds?: readonly number[];
  readonly schedule?: string;
  readonly enabled?: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Runs one scheduled scan, or not: with replicas on PostgreSQL, only the first replica to claim the org's
 * slot scans it (`scanOncePerSlot`). Alone, every scheduled scan runs.
 */
export type ScheduledScan = (
  orgId: string,
  slot: string,
  scan: () => Promise<ScanOutcome>,
) => Promise<unknown>;

/** Builds the watch over its store, notifier, clock and org connections; nothing runs until start(). */
export function createWatch(
  deps: ScanDeps & {
    readonly onScanError?: (orgId: string, error: unknown) => void;
    readonly scheduled?: ScheduledScan;
    /** Whether an org in the store is still served; one no longer served keeps its history and is not scanned. */
    readonly serves?: (orgId: string) => boolean;
  },
) {
  const { store, clock, notifier } = deps;
  const scheduled: ScheduledScan = deps.scheduled ?? ((_orgId, _slot, scan) => scan());
  const scheduler = new WatchScheduler(
    (orgId, slot) => scheduled(orgId, slot.toISOString(), () => scanOrg(orgId, deps)),
    deps.onScanError ??
      ((orgId, error) => {
        store
          .recordScan(orgId, clock.now().toISOString(), `scan failed: ${String(error)}`)
          .catch((failure: unknown) =>
            process.emitWarning(
              `The watch could not record a failed scan of ${orgId}: ${errorMessage(failure)}`,
            ),
          );
      }),
  );
  let started = false;

  const settingsOf = async (orgId: string) => {
    const settings = await store.settings(orgId);
    if (!settings) throw new CodedError('UNKNOWN_ORG', `No watched org "${orgId}". Register it first.`);
    return settings;
  };
  const alertOf = async (alertId: string): Promise<AlertRecord> => {
    const alert = await store.alert(alertId);
    if (!alert) throw new CodedError('UNKNOWN_ALERT', `No alert "${alertId}".`);
    return alert;
  };
  const reschedule = async (orgId: string) => {
    const settings = await settingsOf(orgId);
    if (started && settings.enabled && (deps.serves?.(orgId) ?? true))
      scheduler.schedule(orgId, settings.schedule);
    else scheduler.unschedule(orgId);
  };
  const change = async (
    orgId: string,
    patch: Partial<{ enabled: boolean; thresholds: readonly number[] }>,
  ): Promise<WatchStatus> => {
    const settings = await settingsOf(orgId);
    await store.saveSettings({
      org: settings.org,
      enabled: patch.enabled ?? settings.enabled,
      thresholds: patch.thresholds ?? settings.thresholds,
      schedule: settings.schedule,
    });
    await reschedule(orgId);
    return status(orgId);
  };
  const refresh = async (alert: AlertRecord, card: AlertCard) => {
    if (alert.messageId)
      await notifier.updateAlert((await settingsOf(alert.orgId)).org.channelId, alert.messageId, card);
  };
  async function status(orgId: string): Promise<WatchStatus> {
    const settings = await settingsOf(orgId);
    const next = settings.enabled
      ? (scheduler.nextRun(orgId) ?? nextScans(settings.schedule, clock.now(), 1)[0] ?? null)
      : null;
    return {
      orgId,
      orgName: settings.org.name,
      enabled: settings.enabled,
      thresholds: settings.thresholds,
      schedule: settings.schedule,
      nextScanAt: next ? next.toISOString() : null,
      lastScanAt: settings.lastScanAt,
      lastScanOutcome: settings.lastScanOutcome,
      activeAlerts: (await store.activeAlerts(orgId)).map((alert) => alert.card),
    };
  }

  return {
    /** Adds or updates an org; keeps its thresholds and on/off state unless given. */
    async register(org: WatchedOrg, options: WatchOptions = {}): Promise<WatchStatus> {
      const before = await store.settings(org.id);
      await store.saveSettings({
        org,
        enabled: options.enabled ?? before?.enabled ?? true,
        thresholds: options.thresholds ?? before?.thresholds ?? DEFAULT_THRESHOLDS,
        schedule: validateSchedule(options.schedule ?? before?.schedule ?? DEFAULT_SCHEDULE),
      });
      await reschedule(org.id);
      return status(org.id);
    },
    status,
    /** `watch on`. */
    on: (orgId: string) => change(orgId, { enabled: true }),
    /** `watch off`: no scans, no alerts; what the watch remembers stays. */
    off: (orgId: string) => change(orgId, { enabled: false }),
    /** `watch thresholds 60,30,7`. */
    setThresholds: (orgId: string, text: string) => change(orgId, { thresholds: parseThresholds(text) }),
    /** Scans one org now (the schedule calls the same). */
    scan: (orgId: string): Promise<ScanOutcome> => scanOrg(orgId, deps),
    /** Scans every enabled org, `concurrency` at a time. */
    async scanAll(concurrency = 16): Promise<ScanOutcome[]> {
      const ids = (await store.allSettings())
        .filter((settings) => settings.enabled)
        .map((settings) => settings.org.id);
      const outcomes: ScanOutcome[] = new Array(ids.length);
      let next = 0;
      const worker = async () => {
        for (let index = next++; index < ids.length; index = next++)
          outcomes[index] = await scanOrg(ids[index] as string, deps);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
      return outcomes;
    },
    /** The card's Acknowledge button: the alert stays until its checks pass, without reminders. */
    async acknowledge(alertId: string, by: string): Promise<AlertCard> {
      const alert = await alertOf(alertId);
      if (alert.state === 'resolved') return alert.card;
      const card = withState(
        alert.card,
        'acknowledged',
        `Acknowledged by ${by} at ${clock.now().toISOString()}.`,
      );
      await store.updateAlert(alertId, 'acknowledged', card, null, null);
      await refresh(alert, card);
      return card;
    },
    /** The card's Snooze button: nothing new about its subjects until then, then a reminder if still active. */
    async snooze(alertId: string, days: number, by: string): Promise<AlertCard> {
      if (!Number.isInteger(days) || days < 1 || days > 90)
        throw new CodedError('BAD_SNOOZE', 'Snooze for 1 to 90 whole days.');
      const alert = await alertOf(alertId);
      if (alert.state === 'resolved') return alert.card;
      const until = new Date(clock.now().getTime() + days * DAY_MS).toISOString();
      refuseSnoozePastExpiry(alert.card, clock.now(), until);
      const card = withState(alert.card, 'snoozed', `Snoozed by ${by} until ${until}.`);
      await store.updateAlert(alertId, 'snoozed', card, until, null);
      await refresh(alert, card);
      return card;
    },
    /** Starts the schedules of every enabled org. */
    async start(): Promise<void> {
      started = true;
      for (const settings of await store.allSettings()) await reschedule(settings.org.id);
    },
    stop(): void {
      started = false;
      scheduler.stopAll();
    },
  };
}

export type Watch = ReturnType<typeof createWatch>;

/** A snooze must end before the soonest expiry the alert counts down to, or the alert would sleep through it. */
function refuseSnoozePastExpiry(card: AlertCard, now: Date, until: string): void {
  const ahead = card.expiries.map((expiry) => expiry.at).filter((at) => Date.parse(at) > now.getTime());
  const soonest = ahead.sort()[0];
  if (soonest && Date.parse(until) >= Date.parse(soonest)) {
    throw new CodedError(
      'BAD_SNOOZE',
      `Not snoozed: this alert counts down to ${soonest.slice(0, 16).replace('T', ' ')} UTC, before the snooze would end; acknowledge it or plan the fix instead.`,
    );
  }
}

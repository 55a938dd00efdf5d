/** What one scan means for alerting: checks that started failing, thresholds newly reached, alerts that can clear. */
import { daysUntil } from '../verify/facts';
import type { Check, ExpiryItem, VerifyReport } from '../verify/types';
import { coveredThresholds, reachedThreshold } from './thresholds';
import type { AlertRecord, CheckState } from './types';

export interface Crossing {
  readonly item: ExpiryItem;
  readonly daysLeft: number;
  readonly threshold: number;
}

export interface ScanEvaluation {
  /** Drift checks failing now that have not been alerted in this failing spell. */
  readonly drifted: readonly Check[];
  readonly crossings: readonly Crossing[];
  /** Check states to save. */
  readonly checkStates: ReadonlyMap<string, CheckState>;
  /** Threshold marks to save (a crossing also marks the larger thresholds it jumped over). */
  readonly marks: readonly { itemId: string; threshold: number }[];
  /** Active alerts whose every subject is fine again. */
  readonly resolved: readonly AlertRecord[];
}

export interface ScanMemory {
  readonly checkStates: ReadonlyMap<string, CheckState>;
  readonly marks: ReadonlySet<string>;
  readonly activeAlerts: readonly AlertRecord[];
}

export const checkSubject = (id: string) => `check:${id}`;
export const itemSubject = (id: string) => `item:${id}`;

/** Subjects held back by a snoozed alert: nothing new is said about them until the snooze ends. */
function heldSubjects(alerts: readonly AlertRecord[], now: Date): Set<string> {
  const held = new Set<string>();
  for (const alert of alerts) {
    if (alert.state === 'snoozed' && alert.snoozedUntil && Date.parse(alert.snoozedUntil) > now.getTime()) {
      for (const subject of alert.subjects) held.add(subject);
    }
  }
  return held;
}

/** Compares a verification with what the watch remembers; pure, so schedules and restarts are easy to test. */
export function evaluateScan(
  report: Pick<VerifyReport, 'checks' | 'expiries'>,
  memory: ScanMemory,
  thresholds: readonly number[],
  now: Date,
): ScanEvaluation {
  const held = heldSubjects(memory.activeAlerts, now);
  const at = now.toISOString();
  const drifted: Check[] = [];
  const checkStates = new Map<string, CheckState>();
  for (const check of report.checks.filter((candidate) => candidate.alertBy === 'drift')) {
    const before = memory.checkStates.get(check.id);
    const since = before && before.ok === check.ok ? before.since : at;
    // A check never seen before counts as passing before: a fault already there at the first scan is reported too.
    const alreadyAlerted = !check.ok && before?.ok === false && before.alerted;
    const alert = !check.ok && !alreadyAlerted && !held.has(checkSubject(check.id));
    if (alert) drifted.push(check);
    checkStates.set(check.id, { ok: check.ok, alerted: alreadyAlerted || alert, since });
  }
  const crossings: Crossing[] = [];
  const marks: { itemId: string; threshold: number }[] = [];
  for (const item of report.expiries) {
    // A `due` item says nothing before its instant (whole days would count its last day as due already).
    if (item.announce === 'due' && Date.parse(item.at) > now.getTime()) continue;
    const daysLeft = daysUntil(item.at, now);
    const threshold = reachedThreshold(daysLeft, item.announce === 'due' ? [] : thresholds);
    if (threshold === null || memory.marks.has(`${item.id}|${threshold}`) || held.has(itemSubject(item.id)))
      continue;
    crossings.push({ item, daysLeft, threshold });
    for (const covered of coveredThresholds(threshold, thresholds))
      marks.push({ itemId: item.id, threshold: covered });
  }
  const failing = new Set(
    report.checks
      .filter((check) => !check.ok && check.alertBy === 'drift')
      .map((check) => checkSubject(check.id)),
  );
  const present = new Set(report.expiries.map((item) => itemSubject(item.id)));
  const resolved = memory.activeAlerts.filter((alert) =>
    alert.subjects.every((subject) => !failing.has(subject) && !present.has(subject)),
  );
  return { drifted, crossings, checkStates, marks, resolved };
}

/** One scan of one org: verify read-only, compare with what the watch remembers, post at most one alert card. */
import { randomUUID } from 'node:crypto';
import { CodedError, errorMessage } from '../core/errors';
import type { Clock, EmsRunner, GraphPort } from '../core/ports';
import { getRunbook } from '../runbooks';
import type { Check, VerifyReport } from '../verify/types';
import { verifyOrg } from '../verify/verify-runbook';
import { buildAlertCard, withState } from './alert-card';
import { checkSubject, evaluateScan, itemSubject, type ScanEvaluation } from './evaluate';
import type { AlertRecord, AlertStore, Notifier, WatchedOrg } from './types';

/** How the watch reaches an org: its EMS runner (relay agent) and Graph port. */
export interface OrgConnection {
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  close?(): Promise<void>;
}

export interface ScanDeps {
  readonly store: AlertStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly connect: (org: WatchedOrg) => Promise<OrgConnection>;
  readonly newId?: () => string;
}

export interface ScanOutcome {
  readonly orgId: string;
  readonly state: 'passing' | 'failing' | 'error';
  /** Ids of the failing checks. */
  readonly failing: readonly string[];
  /** The alert this scan raised, if any. */
  readonly alertId: string | null;
  readonly resolvedAlertIds: readonly string[];
  /** Why the scan or a post failed, in one sentence. */
  readonly error: string | null;
}

async function post(alert: AlertRecord, org: WatchedOrg, deps: ScanDeps): Promise<string | null> {
  try {
    const { messageId } = await deps.notifier.postAlert(org.channelId, alert.card);
    await deps.store.markPosted(alert.id, messageId);
    return null;
  } catch (error) {
    // Left unposted: the next scan posts it again, so a Teams outage delays an alert but never loses it.
    return `Alert ${alert.id} could not be posted: ${errorMessage(error)}`;
  }
}

/** Snoozes that ended on alerts still active come back as a reminder; alerts left unposted are posted again. */
async function catchUp(org: WatchedOrg, deps: ScanDeps, now: Date, fresh: string | null): Promise<string[]> {
  const problems: string[] = [];
  for (const alert of (await deps.store.activeAlerts(org.id)).filter((candidate) => candidate.id !== fresh)) {
    if (alert.state === 'snoozed' && alert.snoozedUntil && Date.parse(alert.snoozedUntil) <= now.getTime()) {
      const card = withState(alert.card, 'open', `Reminder: snoozed until ${alert.snoozedUntil}.`);
      await deps.store.updateAlert(alert.id, 'open', card, null, null);
      const problem = await post({ ...alert, card }, org, deps);
      if (problem) problems.push(problem);
    } else if (alert.messageId === null) {
      const problem = await post(alert, org, deps);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

/** The watch's own check: whether it could read the org at all (relay agent up, Graph answering). */
export const REACHABLE_CHECK_ID = 'org-reachable';

function reachability(error: string | null, at: string): Check {
  return {
    id: REACHABLE_CHECK_ID,
    title: 'The watch can read the org (relay agent, Exchange and Graph)',
    ok: error === null,
    detail: error === null ? `Read at ${at}.` : `The scan could not read the org: ${error}`,
    fix: '',
    fixRunbook: null,
    alertBy: 'drift',
  };
}

type Reading =
  | { readonly report: VerifyReport; readonly error: null }
  | { readonly report: null; readonly error: string };

async function readOrg(org: WatchedOrg, deps: ScanDeps): Promise<Reading> {
  let connection: OrgConnection | null = null;
  try {
    connection = await deps.connect(org);
    const report = await verifyOrg(
      getRunbook(org.runbook),
      org.inputs,
      { ems: connection.ems, graph: connection.graph, clock: deps.clock },
      org.testMailbox ? { testMailbox: org.testMailbox } : {},
    );
    return { report, error: null };
  } catch (error) {
    return { report: null, error: errorMessage(error) };
  } finally {
    await connection?.close?.();
  }
}

function newAlert(
  org: WatchedOrg,
  evaluation: ScanEvaluation,
  now: Date,
  deps: ScanDeps,
): AlertRecord | null {
  if (evaluation.drifted.length === 0 && evaluation.crossings.length === 0) return null;
  const id = (deps.newId ?? randomUUID)();
  return {
    id,
    orgId: org.id,
    createdAt: now.toISOString(),
    state: 'open',
    subjects: [
      ...evaluation.drifted.map((check) => checkSubject(check.id)),
      ...evaluation.crossings.map((crossing) => itemSubject(crossing.item.id)),
    ],
    card: buildAlertCard(id, org, evaluation.drifted, evaluation.crossings, now),
    messageId: null,
    snoozedUntil: null,
  };
}

/** Marks alerts resolved and updates their cards; returns what could not be updated. */
async function clearResolved(
  org: WatchedOrg,
  resolved: readonly AlertRecord[],
  at: string,
  deps: ScanDeps,
): Promise<string[]> {
  const problems: string[] = [];
  for (const alert of resolved) {
    const card = withState(alert.card, 'resolved', `Cleared at ${at}: the checks pass again.`);
    await deps.store.updateAlert(alert.id, 'resolved', card, null, at);
    if (!alert.messageId) continue;
    try {
      await deps.notifier.updateAlert(org.channelId, alert.messageId, card);
    } catch (error) {
      problems.push(
        `Alert ${alert.id} was resolved but its card could not be updated: ${errorMessage(error)}`,
      );
    }
  }
  return problems;
}

/** Scans one watched org now; never throws for the org's own failures (they are the outcome). */
export async function scanOrg(orgId: string, deps: ScanDeps): Promise<ScanOutcome> {
  const settings = await deps.store.settings(orgId);
  if (!settings) throw new CodedError('UNKNOWN_ORG', `No watched org "${orgId}".`);
  const org = settings.org;
  const now = deps.clock.now();
  const at = now.toISOString();
  const reading = await readOrg(org, deps);
  const reachable = reachability(reading.error, at);
  const checks = [reachable, ...(reading.report?.checks ?? [])];
  const active = await deps.store.activeAlerts(orgId);
  // Blind, the watch only speaks about being blind: the other alerts stay as they are until it can read again.
  const memory = {
    checkStates: await deps.store.checkStates(orgId),
    marks: await deps.store.marks(orgId),
    activeAlerts: reading.report
      ? active
      : active.filter((alert) => alert.subjects.every((s) => s === checkSubject(REACHABLE_CHECK_ID))),
  };
  const evaluation = evaluateScan(
    { checks, expiries: reading.report?.expiries ?? [] },
    memory,
    settings.thresholds,
    now,
  );
  const alert = newAlert(org, evaluation, now, deps);
  await deps.store.commitScan(orgId, at, evaluation.checkStates, evaluation.marks, alert);
  const problems = await clearResolved(org, evaluation.resolved, at, deps);
  if (alert) {
    const problem = await post(alert, org, deps);
    if (problem) problems.push(problem);
  }
  // After resolving, so an alert cleared by this scan is not reminded of; the fresh one was just tried.
  problems.push(...(await catchUp(org, deps, now, alert?.id ?? null)));
  const failing = checks.filter((check) => !check.ok).map((check) => check.id);
  const summary = reading.error
    ? reachable.detail
    : failing.length === 0
      ? 'all checks pass'
      : `failing: ${failing.join(', ')}`;
  await deps.store.recordScan(orgId, at, problems.length > 0 ? `${summary}; ${problems.join(' ')}` : summary);
  return {
    orgId,
    state: reading.error ? 'error' : failing.length === 0 ? 'passing' : 'failing',
    failing,
    alertId: alert?.id ?? null,
    resolvedAlertIds: evaluation.resolved.map((resolved) => resolved.id),
    error: [...(reading.error ? [reachable.detail] : []), ...problems].join(' ') || null,
  };
}

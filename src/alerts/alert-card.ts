/** Alert cards as data: what changed, what to run, and the buttons (acknowledge, snooze, plan the fix). */
import type { RunbookName } from '../runbooks/types';
import type { Check } from '../verify/types';
import type { Crossing } from './evaluate';
import { ALERT_VERBS, type AlertCard, type AlertState, type WatchedOrg } from './types';

/** Snooze lengths offered on the card, in days. */
export const SNOOZE_CHOICES_DAYS: readonly number[] = [1, 7];

function crossingTitle(crossing: Crossing): string {
  const { item, daysLeft } = crossing;
  const when = daysLeft < 0 ? `${-daysLeft} day(s) ago` : daysLeft === 0 ? 'today' : `in ${daysLeft} day(s)`;
  if (item.kind === 'nextCertificateEffective') {
    // Its date is 12 hours after the effective date: the AuthAdmin servicelet should have published it by then.
    return daysLeft <= 0
      ? `${item.title} — not published by the AuthAdmin servicelet: publish it`
      : `${item.title} ${when}`;
  }
  return daysLeft < 0 ? `${item.title} expired ${when}` : `${item.title} expires ${when}`;
}

/** Every distinct runbook that fixes part of the alert: the expiries' first, then the drifted checks'. */
function planFixRunbooks(drifted: readonly Check[], crossings: readonly Crossing[]): RunbookName[] {
  const all = [
    ...crossings.map((crossing) => crossing.item.fixRunbook),
    ...drifted.flatMap((check) => (check.fixRunbook ? [check.fixRunbook] : [])),
  ];
  return [...new Set(all)];
}

/** Builds the card of a new alert. */
export function buildAlertCard(
  alertId: string,
  org: WatchedOrg,
  drifted: readonly Check[],
  crossings: readonly Crossing[],
  now: Date,
): AlertCard {
  const runbooks = planFixRunbooks(drifted, crossings);
  const runbook = runbooks[0] ?? null;
  const titles = [
    ...(drifted.length > 0 ? [`${drifted.length} check(s) started failing`] : []),
    ...crossings.map(crossingTitle),
  ];
  const urgent = drifted.length > 0 || crossings.some((crossing) => crossing.threshold <= 7);
  return {
    alertId,
    orgId: org.id,
    orgName: org.name,
    state: 'open',
    severity: urgent ? 'critical' : 'warning',
    title: `${org.name}: ${titles.join('; ')}`,
    createdAt: now.toISOString(),
    drift: drifted.map((check) => ({
      checkId: check.id,
      title: check.title,
      detail: check.detail,
      fix: check.fix,
    })),
    expiries: crossings.map(({ item, daysLeft, threshold }) => ({
      itemId: item.id,
      title: crossingTitle({ item, daysLeft, threshold }),
      at: item.at,
      daysLeft,
      threshold,
      where: item.where,
    })),
    note: null,
    actions: {
      acknowledge: { verb: ALERT_VERBS.acknowledge, data: { alertId } },
      snooze: { verb: ALERT_VERBS.snooze, data: { alertId, choicesDays: SNOOZE_CHOICES_DAYS } },
      planFix: runbook
        ? {
            verb: ALERT_VERBS.planFix,
            data: {
              runbook,
              runbooks,
              orgId: org.id,
              alertId,
              inputs: {
                domain: org.inputs.domain,
                dc: org.inputs.dc,
                ...(org.inputs.tenantId ? { tenantId: org.inputs.tenantId } : {}),
              },
            },
          }
        : null,
    },
  };
}

/** The same card after a state change; a resolved or acknowledged card keeps only "plan the fix" where it still helps. */
export function withState(card: AlertCard, state: AlertState, note: string | null): AlertCard {
  const done = state === 'resolved';
  return {
    ...card,
    state,
    note,
    actions: {
      acknowledge: state === 'open' || state === 'snoozed' ? card.actions.acknowledge : null,
      snooze: state === 'open' ? card.actions.snooze : null,
      planFix: done ? null : card.actions.planFix,
    },
  };
}

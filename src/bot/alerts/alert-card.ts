/** Renders the watch's alert cards (data from src/alerts) as Adaptive Cards with Acknowledge, Snooze and Plan the fix. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { AlertCard } from '../../alerts/types';
import { card, code, type Element, facts, heading, text } from '../cards/elements';

const STATE_LINE: Record<AlertCard['state'], string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  snoozed: 'Snoozed',
  resolved: 'Resolved: the checks pass again',
};

/** An Action.Execute with its Action.Submit fallback, for the alert verbs. */
function alertAction(title: string, verb: string, data: Record<string, unknown>): Element {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  };
}

/** The Adaptive Card of an alert. */
export function renderAlertCard(alert: AlertCard): AdaptiveCard {
  const tone = alert.state === 'resolved' ? 'good' : alert.severity === 'critical' ? 'attention' : 'warning';
  const body: Element[] = [
    ...heading(
      alert.title,
      `${STATE_LINE[alert.state]} · ${alert.severity} · raised ${alert.createdAt.slice(0, 16).replace('T', ' ')} UTC`,
      tone,
    ),
  ];
  if (alert.note) body.push(text(alert.note, { isSubtle: true }));
  for (const line of alert.drift) {
    body.push(
      text(`✖ ${line.title}`, { weight: 'Bolder', color: 'attention' }),
      text(line.detail, { size: 'Small', spacing: 'None' }),
    );
    if (line.fix) body.push(code(line.fix));
  }
  if (alert.expiries.length) {
    body.push(
      facts(
        alert.expiries.map(
          (expiry) => [expiry.title, `${expiry.at.slice(0, 10)} · ${expiry.where.join(', ')}`] as const,
        ),
      ),
    );
  }
  const actions: Element[] = [];
  if (alert.actions.acknowledge)
    actions.push(alertAction('Acknowledge', alert.actions.acknowledge.verb, { alertId: alert.alertId }));
  if (alert.actions.snooze) {
    const days = (alert.actions.snooze.data.choicesDays as readonly number[] | undefined) ?? [1, 7];
    for (const d of days)
      actions.push(
        alertAction(`Snooze ${d} day${d === 1 ? '' : 's'}`, alert.actions.snooze.verb, {
          alertId: alert.alertId,
          days: d,
        }),
      );
  }
  if (alert.actions.planFix) {
    // One button per runbook that fixes part of the alert (an alert stored before this list offers its one fix).
    const runbooks = (alert.actions.planFix.data.runbooks as readonly string[] | undefined) ?? [];
    if (runbooks.length <= 1)
      actions.push(alertAction('Plan the fix', alert.actions.planFix.verb, { alertId: alert.alertId }));
    for (const runbook of runbooks.length > 1 ? runbooks : [])
      actions.push(
        alertAction(`Plan ${runbook}`, alert.actions.planFix.verb, { alertId: alert.alertId, runbook }),
      );
  }
  return card(body, actions);
}

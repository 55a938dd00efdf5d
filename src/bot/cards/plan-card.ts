/** The plan card: each step with its change and the exact PowerShell (collapsed), warnings, and "Request approval". */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { Change, Plan, PlanStep } from '../../engine/plan-types';
import {
  card,
  code,
  type Element,
  execute,
  facts,
  heading,
  plural,
  shortId,
  text,
  toggle,
  VERBS,
  warnings,
} from './elements';
import { EXPORT_PS1_VERB } from './next-step-buttons';
import { procedureText } from './procedure-text';

const CHANGE_LABEL: Record<Change, string> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  none: 'no change',
};
const CHANGE_TONE: Record<Change, string> = {
  create: 'good',
  update: 'accent',
  delete: 'attention',
  none: 'default',
};

/** The id of a step's collapsed command container. */
export const commandId = (idPrefix: string, index: number) => `${idPrefix}-cmd-${index}`;

/** One step as a compact row; clicking it shows its command (collapsed by default). */
export function stepRow(step: PlanStep, index: number, idPrefix: string): Element[] {
  const id = commandId(idPrefix, index);
  const label = step.command ? `${CHANGE_LABEL[step.change]} ▾` : CHANGE_LABEL[step.change];
  const rows: Element[] = [
    {
      type: 'ColumnSet',
      spacing: 'Small',
      separator: index > 0,
      ...(step.command ? { selectAction: toggle('Show the command', [id]) } : {}),
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            text(`${index + 1} · ${step.title}`, { weight: 'Bolder' }),
            text(procedureText(step.detail), { size: 'Small', isSubtle: true, spacing: 'None' }),
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          items: [text(label, { color: CHANGE_TONE[step.change], weight: 'Bolder' })],
        },
      ],
    },
    ...warnings(step.warnings.map(procedureText)),
    ...(step.article ? [articleLink(step.article)] : []),
  ];
  if (step.command) rows.push(code(step.command, id, false));
  return rows;
}

/** The Microsoft article a step follows, as a link. */
export function articleLink(article: { title: string; url: string }): Element {
  return text(`[Microsoft: ${escapeLinkText(article.title)}](${article.url})`, {
    size: 'Small',
    spacing: 'Small',
  });
}

const escapeLinkText = (title: string) => title.replace(/[[\]]/g, (c) => `\\${c}`);

/** A button that shows or hides every step's command at once. */
export function toggleAllCommands(
  steps: readonly PlanStep[],
  idPrefix: string,
  indexes?: readonly number[],
): Element[] {
  const ids = (indexes ?? steps.map((_, index) => index))
    .filter((index) => steps[index]?.command)
    .map((index) => commandId(idPrefix, index));
  return ids.length ? [toggle('Show all PowerShell', ids)] : [];
}

/** Summary line: how many steps change. */
export function changeSummary(plan: Plan): string {
  const changing = plan.steps.filter((step) => step.change !== 'none').length;
  return changing === 0
    ? plan.steps.length === 1
      ? 'Nothing to change: its one step is already in place.'
      : `Nothing to change: all ${plan.steps.length} steps are already in place.`
    : `${changing} of ${plural(plan.steps.length, 'step')} will change the org.`;
}

/** The plan card; `planId` is the only thing its button sends back. `blocked` replaces the button with a reason. */
export function planCard(
  plan: Plan,
  planId: string,
  inputs: readonly (readonly [string, string])[],
  blocked?: string,
  notice?: string,
): AdaptiveCard {
  const body: Element[] = [
    ...heading(`Plan: ${plan.title}`, changeSummary(plan)),
    facts([
      ['Runbook', plan.runbook],
      ...inputs,
      ['Source', procedureText(plan.source)],
      ['Plan', `${shortId(planId)} · hash ${plan.hash.slice(0, 12)}`],
    ]),
  ];
  if (plan.caution) body.push(text(`Caution: ${plan.caution}`, { color: 'attention', weight: 'Bolder' }));
  for (const note of plan.notes) body.push(text(procedureText(note), { size: 'Small', isSubtle: true }));
  plan.steps.forEach((step, index) => {
    body.push(...stepRow(step, index, `plan-${shortId(planId)}`));
  });
  const changing = plan.steps.some((step) => step.change !== 'none');
  if (changing && blocked) body.push(text(blocked, { color: 'warning', weight: 'Bolder' }));
  if (notice) body.push(text(notice, { color: 'attention', weight: 'Bolder' }));
  const request =
    changing && !blocked ? [execute('Request approval', VERBS.requestApproval, { planId }, 'positive')] : [];
  const exportPs1 = {
    type: 'Action.Execute',
    title: 'Export as .ps1',
    verb: EXPORT_PS1_VERB,
    data: { planId },
    fallback: { type: 'Action.Submit', title: 'Export as .ps1', data: { planId, verb: EXPORT_PS1_VERB } },
  };
  const actions = [...request, ...toggleAllCommands(plan.steps, `plan-${shortId(planId)}`), exportPs1];
  return card(body, actions);
}

/**
 * The result of a run, honestly: what ran, what was already in place, what the run never came to; a cancelled
 * run says who cancelled it and what it left undone; the next steps are buttons that run the command.
 */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { countSteps, type StepOutcome } from '../../engine/apply';
import type { RunbookInputs } from '../../runbooks/types';
import type { Check } from '../../verify/types';
import { optionFixFor } from '../next-steps';
import { card, type Element, facts, heading, plural, shortId, text } from './elements';
import { type NextStep, nextStepButtons, planCommand } from './next-step-buttons';
import { fixSteps } from './org-cards';

export interface ResultInput {
  readonly title: string;
  readonly runbook: string;
  readonly inputs: RunbookInputs;
  readonly runId: string;
  readonly state: 'succeeded' | 'failed' | 'interrupted';
  readonly error: string | null;
  readonly checks: readonly Check[];
  readonly steps: readonly StepOutcome[];
  /** Who cancelled the run, as journaled (`Name (object id)`), when it was cancelled. */
  readonly cancelledBy: string | null;
}

/** The display name of a journaled actor, `Megan Bowen (…)` → `Megan Bowen`. */
export const nameOf = (actor: string) => actor.replace(/ \([^)]*\)$/, '');

function summary(input: ResultInput, green: boolean, passed: number): string {
  if (input.cancelledBy) return `Cancelled by ${nameOf(input.cancelledBy)}.`;
  if (green) return `Succeeded and verified: ${passed}/${input.checks.length} checks pass.`;
  if (input.state === 'succeeded')
    return `Applied, but ${plural(input.checks.length - passed, 'verification check')} fail.`;
  if (input.state === 'interrupted') return `Interrupted: ${input.error ?? 'the run could not go on'}`;
  return `Failed: ${input.error ?? 'a step failed'}`;
}

/** What the stopped run left: the changes it made and the steps it never came to. */
function leftAsIs(input: ResultInput): Element[] {
  if (input.state === 'succeeded') return [];
  const done = input.steps.filter((step) => step.reached && step.state === 'succeeded');
  const undone = input.steps.filter((step) => !step.reached || step.state === 'failed');
  const lines: Element[] = [];
  if (done.length) lines.push(text(`Left changed: ${done.map((step) => step.title).join('; ')}.`));
  if (undone.length)
    lines.push(text(`Left not done: ${undone.map((step) => step.title).join('; ')}.`, { color: 'warning' }));
  return lines;
}

/** One line per check; a step this run skipped shows as skipped, not ticked (it was not done by this run). */
function checkLines(input: ResultInput): Element[] {
  const skipped = new Set(input.steps.filter((s) => s.state === 'skipped').map((s) => s.id));
  return input.checks.flatMap((check) => {
    const mark = !check.ok ? '✖' : skipped.has(check.id) ? '↷' : '✔';
    const lines = [
      text(`${mark} ${check.title}`, {
        color: !check.ok ? 'attention' : mark === '✔' ? 'good' : 'default',
        spacing: 'Small',
      }),
    ];
    if (!check.ok || mark === '↷')
      lines.push(text(check.detail, { size: 'Small', spacing: 'None', isSubtle: true }));
    return lines;
  });
}

/** The next steps: plan again (with the option that avoids the failure), or the runbooks that fix failing checks. */
export function resultNextSteps(input: ResultInput): NextStep[] {
  if (input.state === 'succeeded') return fixSteps(input.checks, input.inputs);
  const steps: NextStep[] = [];
  const fix = input.cancelledBy ? null : optionFixFor(input.error ?? '', input.inputs);
  if (fix) steps.push({ title: fix.title, command: planCommand(input.runbook, input.inputs, fix.change) });
  steps.push({ title: `Plan ${input.runbook} again`, command: planCommand(input.runbook, input.inputs) });
  return steps;
}

function nextStepText(input: ResultInput): string {
  if (input.cancelledBy)
    return 'What to do next: plan again to finish the steps left not done, or leave them as they are.';
  if (input.state !== 'succeeded') {
    const fix = optionFixFor(input.error ?? '', input.inputs);
    return `What to do next: ${fix ? fix.why : 'fix the cause above'}, then plan again; steps already done are skipped. Type status ${shortId(input.runId)} for details.`;
  }
  return 'What to do next: read the failing checks, then plan again to see what is still missing.';
}

/** The result card: green when the run succeeded and every verification check passed. */
export function resultCard(input: ResultInput): AdaptiveCard {
  const passed = input.checks.filter((check) => check.ok).length;
  const green = input.state === 'succeeded' && passed === input.checks.length;
  const counts = countSteps(input.steps);
  const body: Element[] = [
    ...heading(`Result: ${input.title}`, summary(input, green, passed), green ? 'good' : 'attention'),
    facts([
      ['Run', shortId(input.runId)],
      ['Changed', String(counts.ran)],
      ['Already in place', String(counts.inPlace)],
      ...(counts.notReached ? [['Not reached', String(counts.notReached)] as const] : []),
    ]),
    ...leftAsIs(input),
    ...checkLines(input),
  ];
  if (!green) body.push(text(nextStepText(input)));
  return card(body, green ? [] : nextStepButtons(resultNextSteps(input)));
}

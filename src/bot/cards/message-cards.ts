/** Small cards: information, refusals and errors that say what to do next. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { Check } from '../../verify/verify-runbook';
import { card, type Element, facts, heading, shortId, text } from './elements';

/** A titled card with lines of text and optional facts. */
export function infoCard(
  title: string,
  lines: readonly string[],
  pairs: readonly (readonly [string, string])[] = [],
): AdaptiveCard {
  const body: Element[] = [...heading(title)];
  if (pairs.length) body.push(facts(pairs));
  for (const line of lines) body.push(text(line));
  return card(body);
}

/** A polite refusal: nothing was run, and why. */
export function refusalCard(message: string): AdaptiveCard {
  return card([...heading('Not allowed', message, 'warning')]);
}

/** An error: what went wrong and what to do next. */
export function errorCard(title: string, message: string, nextStep: string): AdaptiveCard {
  return card([...heading(title, message, 'attention'), text(`What to do next: ${nextStep}`)]);
}

/** Usage help for a command that was not understood. */
export function usageCard(problem: string, usage: string, hint?: string): AdaptiveCard {
  const body: Element[] = [
    ...heading("I didn't understand that", problem, 'warning'),
    text(`Usage: ${usage}`, { fontType: 'Monospace' }),
  ];
  if (hint) body.push(text(hint, { isSubtle: true }));
  return card(body);
}

/** The result of a run: green when it succeeded and every verification check passed. */
export function resultCard(input: {
  readonly title: string;
  readonly runId: string;
  readonly state: 'succeeded' | 'failed' | 'interrupted';
  readonly error: string | null;
  readonly checks: readonly Check[];
  readonly changed: number;
  readonly skipped: number;
}): AdaptiveCard {
  const passed = input.checks.filter((check) => check.ok).length;
  const green = input.state === 'succeeded' && passed === input.checks.length;
  const summary = green
    ? `Succeeded and verified: ${passed}/${input.checks.length} checks pass.`
    : input.state === 'succeeded'
      ? `Applied, but ${input.checks.length - passed} verification check(s) fail.`
      : input.state === 'interrupted'
        ? `Interrupted: ${input.error ?? 'the run could not go on'}`
        : `Failed: ${input.error ?? 'a step failed'}`;
  const body: Element[] = [
    ...heading(`Result: ${input.title}`, summary, green ? 'good' : 'attention'),
    facts([
      ['Run', shortId(input.runId)],
      ['Steps changed', String(input.changed)],
      ['Already in place', String(input.skipped)],
    ]),
  ];
  for (const check of input.checks) {
    body.push(
      text(`${check.ok ? '✔' : '✖'} ${check.title}`, {
        color: check.ok ? 'good' : 'attention',
        spacing: 'Small',
      }),
    );
    if (!check.ok) body.push(text(check.detail, { size: 'Small', spacing: 'None', isSubtle: true }));
  }
  if (!green) {
    body.push(
      text(
        input.state !== 'succeeded'
          ? `What to do next: fix the cause above, then \`plan\` again; steps already done are skipped. Type \`status ${shortId(input.runId)}\` for details.`
          : 'What to do next: read the failing checks, then `plan` again to see what is still missing.',
      ),
    );
  }
  return card(body);
}

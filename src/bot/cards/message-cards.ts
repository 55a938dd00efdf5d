/** Small cards: information, refusals and errors that say what to do next. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { card, type Element, facts, heading, text } from './elements';

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

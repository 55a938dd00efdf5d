/**
 * Next steps as buttons: each carries the chat command that takes the step (`plan teams domain=… dc=…`), and a
 * click runs what typing it runs (src/bot/routes/command-buttons.ts). One button per distinct command.
 */
import type { RunbookInputs } from '../../runbooks/types';
import type { Element } from './elements';

/** The verb of a command button. */
export const COMMAND_VERB = 'hybridops.command';

/** The verb of the plan card's "Export as .ps1" button (src/bot/routes/ps1-export.ts). */
export const EXPORT_PS1_VERB = 'hybridops.plan.ps1';

/** The most next-step buttons one card shows (Teams shows up to six actions). */
const MAX_BUTTONS = 5;

/** A next step: the button's title and the command it runs. */
export interface NextStep {
  readonly title: string;
  readonly command: string;
}

/** Options that differ from the defaults, to plan again with: e.g. `{ applicationAccount: false }`. */
export type InputChange = Partial<Pick<RunbookInputs, 'applicationAccount' | 'acknowledged'>>;

/** The `plan` command for a runbook and its inputs, as an admin would type it. */
export function planCommand(runbook: string, inputs: RunbookInputs, change: InputChange = {}): string {
  const merged = { ...inputs, ...change };
  const words = ['plan', runbook];
  if (merged.domain) words.push(`domain=${merged.domain}`);
  if (merged.dc) words.push(`dc=${merged.dc}`);
  if (merged.tenantId) words.push(`tenant=${merged.tenantId}`);
  if (!merged.applicationAccount) words.push('appaccount=no');
  if (merged.acknowledged) words.push('acknowledge=yes');
  return words.join(' ');
}

/** A button that runs `command` as the clicker, with an Action.Submit fallback. */
export function commandButton(step: NextStep): Element {
  const data = { command: step.command };
  return {
    type: 'Action.Execute',
    title: step.title,
    verb: COMMAND_VERB,
    data,
    fallback: { type: 'Action.Submit', title: step.title, data: { ...data, verb: COMMAND_VERB } },
  };
}

/** Buttons for the distinct commands among `steps`, in order. */
export function nextStepButtons(steps: readonly NextStep[]): Element[] {
  const seen = new Set<string>();
  const distinct = steps.filter((step) => !seen.has(step.command) && seen.add(step.command));
  return distinct.slice(0, MAX_BUTTONS).map(commandButton);
}

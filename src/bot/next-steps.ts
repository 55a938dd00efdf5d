/** What the admin should do next after a failure, by error code: the last line of an error card. */
import { type ErrorCode, isCodedError } from '../core/errors';
import type { RunbookInputs } from '../runbooks/types';

const WATCH_SETTINGS = 'Type watch status to see the settings.';
const ALERT_BUTTONS = 'Use the buttons on the card.';
const ASK_OPERATOR =
  'Ask the operator who runs hybridops to check its database (HYBRIDOPS_DB), then try again.';

export const NEXT_STEPS: Partial<Record<ErrorCode, string>> = {
  UNKNOWN_RUNBOOK: 'Type runbooks for the list.',
  PROBE_FAILED: 'Check that the relay agent is connected (agents) and the org is reachable, then try again.',
  PRECONDITION_FAILED: 'Plan the runbooks the message names first, then plan this one again.',
  BAD_THRESHOLDS: WATCH_SETTINGS,
  BAD_SCHEDULE: WATCH_SETTINGS,
  UNKNOWN_ORG: WATCH_SETTINGS,
  BAD_SNOOZE: ALERT_BUTTONS,
  UNKNOWN_ALERT: ALERT_BUTTONS,
  BOT_REMOVED: 'Add the hybridops app to the admin team again.',
  NO_ADMIN_CHANNEL: 'Add the hybridops app to the admin team.',
  CORRUPT_PLAN: 'Type plan again to make a new plan, then request approval for it.',
  BAD_DATABASE_URL: ASK_OPERATOR,
  DATABASE_UNREACHABLE: ASK_OPERATOR,
  MIGRATION_FAILED: ASK_OPERATOR,
};

/** The next step the table gives for `error`'s code, else `otherwise` (what to do where it happened). */
export function nextStepFor(error: unknown, otherwise: string): string {
  return (isCodedError(error) ? NEXT_STEPS[error.code] : undefined) ?? otherwise;
}

/** A failure that an option of `plan` avoids: the button's title, the option, and why, in one clause. */
export interface OptionFix {
  readonly title: string;
  readonly change: Partial<Pick<RunbookInputs, 'applicationAccount'>>;
  readonly why: string;
}

/** Failures (matched on the error text of the failed step) that planning again with another option avoids. */
const OPTION_FIXES: readonly {
  readonly matches: (error: string, inputs: RunbookInputs) => boolean;
  readonly fix: OptionFix;
}[] = [
  {
    matches: (error, inputs) => inputs.applicationAccount && /\bApplicationAccount\b/.test(error),
    fix: {
      title: 'Plan again with appaccount=no',
      change: { applicationAccount: false },
      why: 'this Exchange build has no New-MailUser -ApplicationAccount, so plan again with appaccount=no',
    },
  },
];

/** The option that avoids a failed step's error, if one does. */
export function optionFixFor(error: string, inputs: RunbookInputs): OptionFix | null {
  return OPTION_FIXES.find((entry) => entry.matches(error, inputs))?.fix ?? null;
}

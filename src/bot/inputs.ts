/** A run's inputs from chat options, validated by the runbook rules, and as facts for cards. */
import { CodedError } from '../core/errors';
import { sameText } from '../core/text';
import { getRunbook, type Runbook, type RunbookInputs, validateInputs } from '../runbooks';
import type { ManagedOrg } from '../runbooks/types';

/**
 * A yes/no option: yes, y or true; no, n or false (any case); absent, `fallback`. Anything else is refused
 * (BAD_INPUT), so that `appaccount=maybe` can't be read as either.
 */
function yesNo(key: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (/^(yes|y|true)$/i.test(value)) return true;
  if (/^(no|n|false)$/i.test(value)) return false;
  const shown = value.length > 20 ? `${value.slice(0, 20)}…` : value;
  throw new CodedError('BAD_INPUT', `${key}= takes yes or no, not "${shown}".`);
}

/**
 * Validates `plan`/`verify` options into runbook inputs; throws BAD_INPUT with one clear sentence. In a channel
 * that manages an org (`managed`), another org's domain is refused: its Exchange and Entra are not reached here.
 */
export function inputsFromOptions(
  runbookName: string,
  options: Readonly<Record<string, string>>,
  managed?: Pick<ManagedOrg, 'name' | 'inputs'>,
): { runbook: Runbook; inputs: RunbookInputs } {
  const own = managed?.inputs.domain;
  if (own && options.domain && !sameText(options.domain, own))
    throw new CodedError(
      'BAD_INPUT',
      `This channel manages ${managed.name}, not ${options.domain}: use domain=${own}, or the admin channel of ${options.domain}.`,
    );
  const runbook = getRunbook(runbookName.toLowerCase());
  const inputs = validateInputs(runbook, {
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options.dc ? { dc: options.dc } : {}),
    ...(options.tenant ? { tenantId: options.tenant } : {}),
    ...(options.cloud ? { cloud: options.cloud } : {}),
    applicationAccount: yesNo('appaccount', options.appaccount, true),
    acknowledged: yesNo('acknowledge', options.acknowledge, false),
  });
  return { runbook, inputs };
}

/** The inputs as label/value pairs. */
export function inputFacts(inputs: RunbookInputs): [string, string][] {
  const pairs: [string, string][] = [];
  if (inputs.domain) pairs.push(['Domain', inputs.domain]);
  if (inputs.dc) pairs.push(['Domain controller', inputs.dc]);
  if (inputs.tenantId) pairs.push(['Tenant', inputs.tenantId]);
  if (inputs.cloud && inputs.cloud !== 'Global') pairs.push(['Cloud', inputs.cloud]);
  if (!inputs.applicationAccount) pairs.push(['Application account', 'no (-ApplicationAccount omitted)']);
  if (inputs.acknowledged) pairs.push(['Caution', 'acknowledged']);
  return pairs;
}

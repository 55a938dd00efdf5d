/** A run's inputs from chat options, validated by the runbook rules, and as facts for cards. */
import { getRunbook, type Runbook, type RunbookInputs, validateInputs } from '../runbooks';

const yes = (value: string | undefined) => value !== undefined && /^(yes|true|1|on)$/i.test(value);
const no = (value: string | undefined) => value !== undefined && /^(no|false|0|off)$/i.test(value);

/** Validates `plan`/`verify` options into runbook inputs; throws BAD_INPUT with one clear sentence. */
export function inputsFromOptions(
  runbookName: string,
  options: Readonly<Record<string, string>>,
): { runbook: Runbook; inputs: RunbookInputs } {
  const runbook = getRunbook(runbookName.toLowerCase());
  const inputs = validateInputs(runbook, {
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options.dc ? { dc: options.dc } : {}),
    ...(options.tenant ? { tenantId: options.tenant } : {}),
    applicationAccount: !no(options.appaccount),
    acknowledged: yes(options.acknowledge),
  });
  return { runbook, inputs };
}

/** The inputs as label/value pairs. */
export function inputFacts(inputs: RunbookInputs): [string, string][] {
  const pairs: [string, string][] = [];
  if (inputs.domain) pairs.push(['Domain', inputs.domain]);
  if (inputs.dc) pairs.push(['Domain controller', inputs.dc]);
  if (inputs.tenantId) pairs.push(['Tenant', inputs.tenantId]);
  if (!inputs.applicationAccount) pairs.push(['Application account', 'no (-ApplicationAccount omitted)']);
  if (inputs.acknowledged) pairs.push(['Caution', 'acknowledged']);
  return pairs;
}

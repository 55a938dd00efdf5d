/** Handlers of the commands about the managed org: verify, cert, inspect and watch. */
import { runWatchCommand } from '../../alerts/watch-command';
import { ALERTS_ERROR_CODES, isCodedError } from '../../core/errors';
import { getRunbook } from '../../runbooks';
import { certificateStatus } from '../../verify/certificate-status';
import { inspectToken } from '../../verify/token/inspect-token';
import { verifyOrg } from '../../verify/verify-runbook';
import { errorCard } from '../cards/message-cards';
import { certificateCard, inspectionCard, verifyCard, watchCard } from '../cards/org-cards';
import { inputsFromOptions } from '../inputs';
import { nextStepFor } from '../next-steps';
import { type CommandHandler, notAvailable } from './handler';

/** `verify [runbook] [domain=… dc=… tenant=…]`: every check; without options, the managed org. */
export const verify: CommandHandler<'org' | 'ems' | 'graph' | 'clock'> = async ({ command, services }) => {
  const org = services.org;
  const named = command.positionals[0];
  const options =
    Object.keys(command.options).length || !org
      ? command.options
      : {
          domain: org.inputs.domain,
          dc: org.inputs.dc,
          ...(org.inputs.tenantId ? { tenant: org.inputs.tenantId } : {}),
        };
  const { runbook, inputs } = inputsFromOptions(named ?? org?.runbook ?? 'teams', options, org);
  const report = await verifyOrg(
    runbook,
    inputs,
    { ems: services.ems, graph: services.graph, clock: services.clock },
    org?.testMailbox ? { testMailbox: org.testMailbox } : {},
  );
  return verifyCard(runbook, report, inputs);
};

/** `cert`: the managed org's auth certificates and the keys Entra holds. */
export const cert: CommandHandler<'org' | 'ems' | 'graph' | 'clock'> = async ({ services }) => {
  const org = services.org;
  if (!org) return notAvailable('Certificate status');
  const deps = { ems: services.ems, graph: services.graph, clock: services.clock };
  return certificateCard(org, await certificateStatus(getRunbook(org.runbook), org.inputs, deps));
};

/** `inspect <token>`: the token read against the managed org's tenant and domain. */
export const inspect: CommandHandler<'org' | 'clock'> = async ({ command, services }) => {
  const org = services.org;
  if (!org) return notAvailable('The token inspector');
  const outcome = inspectToken(command.positionals[0] ?? '', {
    now: services.clock.now(),
    domain: org.inputs.domain,
    ...(org.inputs.tenantId ? { tenantId: org.inputs.tenantId } : {}),
  });
  return inspectionCard(outcome);
};

/** `watch status|on|off|thresholds 60,30,7` on the managed org; every change is in the audit log. */
export const watch: CommandHandler<'org' | 'watch' | 'store' | 'clock' | 'scope'> = async ({
  command,
  services,
  actor,
}) => {
  const { org, watch: watched } = services;
  if (!org || !watched) return notAvailable('Watching');
  const args = command.positionals.join(' ') || 'status';
  try {
    const status = await runWatchCommand(watched.watch, org.id, args);
    const change = args.trim().split(/\s+/)[0]?.toLowerCase();
    if (change === 'on' || change === 'off' || change === 'thresholds') {
      await services.store.runs.appendAudit({
        at: services.clock.now().toISOString(),
        actor,
        action: `watch.${change}`,
        runId: null,
        runbook: org.runbook,
        target: services.scope ?? org.name,
        detail: `watch ${status.enabled ? 'on' : 'off'}; thresholds ${status.thresholds.join(', ')} days`,
        outcome: change,
        durationMs: null,
      });
    }
    return watchCard(org, status);
  } catch (error) {
    if (isCodedError(error, ...ALERTS_ERROR_CODES))
      return errorCard('watch did not change', error.message, nextStepFor(error, 'Type watch status.'));
    throw error;
  }
};

/** Cards for what the bot reads about an org: verification, certificates, a token, the watch and the relay agents. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { WatchStatus } from '../../alerts/watch';
import { watchStatusLines } from '../../alerts/watch-command';
import type { AgentView } from '../../relay/hub-types';
import type { ManagedOrg, Runbook, RunbookInputs } from '../../runbooks/types';
import type { CertificateStatus } from '../../verify/certificate-status';
import { certificateLines, verifyReportLines } from '../../verify/describe';
import { type InspectOutcome, inspectionLines } from '../../verify/token/inspect-token';
import type { Check, VerifyReport } from '../../verify/types';
import { inputFacts } from '../inputs';
import { infoCard } from './message-cards';
import { type NextStep, nextStepButtons, planCommand } from './next-step-buttons';

/** One "Plan …" step per distinct runbook that fixes a failing check. */
export function fixSteps(checks: readonly Check[], inputs: RunbookInputs): NextStep[] {
  return checks
    .filter((check) => !check.ok && check.fixRunbook)
    .map((check) => ({
      title: `Plan ${check.fixRunbook}`,
      command: planCommand(check.fixRunbook as string, inputs),
    }));
}

/** `verify`: how many checks pass, then each failing check with its fix, and a button per runbook that fixes one. */
export function verifyCard(runbook: Runbook, report: VerifyReport, inputs: RunbookInputs): AdaptiveCard {
  const passed = report.checks.filter((check) => check.ok).length;
  const [, ...failures] = verifyReportLines(report);
  const info = infoCard(
    `Verify: ${runbook.title}`,
    [`${passed}/${report.checks.length} checks pass.`, ...failures],
    inputFacts(inputs),
  );
  const actions = nextStepButtons(fixSteps(report.checks, inputs));
  return actions.length ? { ...info, actions } : info;
}

/** `cert`: the auth certificates of the managed org and the key on each service principal. */
export function certificateCard(org: ManagedOrg, status: CertificateStatus): AdaptiveCard {
  return infoCard(`Auth certificate of ${org.name}`, certificateLines(status));
}

/** `inspect`: who issued a token, for whom, until when, and what is wrong with it. */
export function inspectionCard(outcome: InspectOutcome): AdaptiveCard {
  return infoCard('Token inspection', inspectionLines(outcome));
}

/** `watch …`: the watch's settings, its next and last scan, and the active alerts. */
export function watchCard(org: ManagedOrg, status: WatchStatus): AdaptiveCard {
  return infoCard(`Watch: ${org.name}`, watchStatusLines(status));
}

/** `agents`: every registered relay agent, whether it is connected, and when it was last seen. */
export function agentsCard(agents: readonly AgentView[]): AdaptiveCard {
  if (agents.length === 0)
    return infoCard('Relay agents', ['No agent is connected. Start the relay agent on an Exchange server.']);
  return infoCard(
    'Relay agents',
    agents.map((agent) => {
      const connected = agent.connected ? ' (connected)' : ' (not connected)';
      const revoked = agent.revoked ? ' — revoked' : '';
      const jobs = agent.jobsInFlight ? ` · ${agent.jobsInFlight} job(s) in flight` : '';
      return `**${agent.id}${connected}${revoked}${jobs}**${agent.lastSeenAt ? ` · seen ${agent.lastSeenAt}` : ''}`;
    }),
  );
}

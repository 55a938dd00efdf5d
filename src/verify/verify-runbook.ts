/** Verification: one probe of the org (one Graph `$batch`), then every check the runbook and the seeds call for. */
import type { PlanDeps } from '../engine/planner';
import type { Runbook, RunbookInputs } from '../runbooks/types';
import { authCertificateCheck, authCertificateExpiryCheck, nextCertificateCheck } from './certificate-checks';
import { expiryItems } from './expiries';
import { authCertificateFacts } from './facts';
import { oauthConnectivityCheck, usesCloudVoicemail, voicemailGreetingCheck } from './feature-checks';
import {
  principalKeyFacts,
  servicePrincipalKeyCheck,
  sharedExchangePrincipalCheck,
  usedPrincipals,
} from './key-checks';
import { hybridAppChecks, hybridAppFacts, serverCertificatesCheck } from './parity-checks';
import { probeOrg } from './probe';
import { greetingDependencyCheck, removesLegacySfb } from './removal-checks';
import { stepChecks } from './step-checks';
import type { Check, VerifyOptions, VerifyReport } from './types';

export type { Check, VerifyOptions, VerifyReport } from './types';

/** The default number of days before expiry from which the certificate check fails (the first alert threshold). */
export const DEFAULT_EXPIRY_WARNING_DAYS = 60;

/** Probes the org once and returns every check, the dates to watch, and the certificate facts. */
export async function verifyOrg(
  runbook: Runbook,
  inputs: RunbookInputs,
  deps: PlanDeps,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const steps = runbook.steps(inputs);
  const probe = await probeOrg(steps, inputs, deps, options.testMailbox);
  const now = deps.clock.now();
  const facts = authCertificateFacts(probe);
  const used = usedPrincipals(probe);
  const warningDays = options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
  const checks: Check[] = [
    ...stepChecks(runbook, inputs, probe, now),
    authCertificateCheck(facts),
    authCertificateExpiryCheck(facts, now, warningDays),
    nextCertificateCheck(facts, now, inputs.dc, warningDays),
    ...used.map((principal) => servicePrincipalKeyCheck(principal, probe, facts, now, runbook.name)),
    sharedExchangePrincipalCheck(probe),
    oauthConnectivityCheck(probe, options.testMailbox),
    serverCertificatesCheck(probe.serverCertificates, probe.serversError),
    ...hybridAppChecks(probe.hybridApp, probe.settingOverrides, probe.authServers.rows, facts, now),
  ];
  if (usesCloudVoicemail(probe))
    checks.push(voicemailGreetingCheck(probe, facts, runbook.name, options.testMailbox));
  if (removesLegacySfb(steps)) checks.push(greetingDependencyCheck(probe));
  return {
    runbook: runbook.name,
    checkedAt: now.toISOString(),
    checks,
    expiries: expiryItems(facts, used, probe),
    certificates: facts,
    servicePrincipals: principalKeyFacts(used, probe, now),
    serverCertificates: probe.serverCertificates,
    hybridApp: hybridAppFacts(probe.hybridApp, now),
  };
}

/** The checks alone (what `verify` prints); all pass only when nothing would change and nothing is failing. */
export async function verifyRunbook(
  runbook: Runbook,
  inputs: RunbookInputs,
  deps: PlanDeps,
  options: VerifyOptions = {},
): Promise<Check[]> {
  return [...(await verifyOrg(runbook, inputs, deps, options)).checks];
}

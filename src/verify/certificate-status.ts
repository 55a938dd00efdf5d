/** `cert`: the auth certificates and the key on each service principal, as one verification reads them. */
import type { PlanDeps } from '../engine/planner';
import type { Runbook, RunbookInputs } from '../runbooks/types';
import { daysUntil } from './facts';
import type { ServerCertificate } from './parity-probe';
import type { AuthCertificateFacts, HybridAppFacts, ServicePrincipalKeyFacts } from './types';
import { verifyOrg } from './verify-runbook';

/** The certificates of one org: current, next and previous, and the keys Entra holds. */
export interface CertificateStatus {
  readonly certificates: AuthCertificateFacts;
  readonly servicePrincipals: readonly ServicePrincipalKeyFacts[];
  readonly serverCertificates: readonly ServerCertificate[];
  readonly hybridApp: HybridAppFacts | null;
  /** Whole days until the current certificate expires; null when there is none. */
  readonly daysLeft: number | null;
}

/** Runs one verification and keeps what `cert` shows. */
export async function certificateStatus(
  runbook: Runbook,
  inputs: RunbookInputs,
  deps: PlanDeps,
): Promise<CertificateStatus> {
  const report = await verifyOrg(runbook, inputs, deps);
  const current = report.certificates.current;
  return {
    certificates: report.certificates,
    servicePrincipals: report.servicePrincipals,
    serverCertificates: report.serverCertificates,
    hybridApp: report.hybridApp,
    daysLeft: current ? daysUntil(current.notAfter, deps.clock.now()) : null,
  };
}

/** Step 1 of the seeds: OAuth between Exchange Server and Exchange Online must already be configured. */
import type { HybridOAuthPrerequisiteStep, RunbookInputs } from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { Snapshot } from '../snapshot';

const EXCHANGE_ONLINE = '00000002-0000-0ff1-ce00-000000000000';

/** Lists exactly what is missing of the Exchange↔Exchange Online OAuth configuration. */
export function missingHybridOAuth(snap: Snapshot, inputs: RunbookInputs): string[] {
  const missing: string[] = [];
  const servers = snap.authServers ?? [];
  const evoSts = servers.filter((server) => server.type.toLowerCase() === 'azuread' && server.enabled);
  if (evoSts.length === 0) {
    missing.push('an enabled EvoSts auth server (Type AzureAD) for the tenant');
  } else if (inputs.tenantId && !evoSts.some((server) => server.realm.toLowerCase() === inputs.tenantId)) {
    missing.push(`an EvoSts auth server whose realm is the tenant ${inputs.tenantId}`);
  }
  const connectors = (snap.intraOrganizationConnectors ?? []).filter((connector) => connector.enabled);
  if (connectors.length === 0) missing.push('an enabled intra-organization connector to Exchange Online');
  const exchangeOnline = (snap.partnerApplications ?? []).find(
    (app) => app.applicationIdentifier === EXCHANGE_ONLINE && app.realm === '',
  );
  if (!exchangeOnline?.enabled)
    missing.push('the enabled Exchange Online partner application (00000002-…, empty realm)');
  return missing;
}

export function diffHybridOAuthPrerequisite(
  _step: HybridOAuthPrerequisiteStep,
  snap: Snapshot,
  inputs: RunbookInputs,
): StepDiff {
  const missing = missingHybridOAuth(snap, inputs);
  if (missing.length === 0) {
    return {
      change: 'none',
      operations: [],
      detail:
        'EvoSts auth server, intra-organization connector and Exchange Online partner application are in place.',
      warnings: [],
    };
  }
  return {
    change: 'none',
    operations: [],
    detail: `Missing: ${missing.join('; ')}.`,
    warnings: [
      `Prerequisite missing: ${missing.join('; ')}. Configure OAuth between Exchange and Exchange Online ` +
        '(the Hybrid Configuration Wizard does it) before relying on this integration.',
    ],
  };
}

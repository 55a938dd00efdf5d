/** Reads everything verification needs: the runbook's snapshot, the auth and OAuth state, one Graph `$batch`. */

import type { EmsCommand, EmsResult } from '../core/ems';
import type { ServicePrincipal } from '../core/entra';
import type { GraphPort } from '../core/ports';
import type { PlanDeps } from '../engine/planner';
import { type Snapshot, takeSnapshot } from '../engine/snapshot';
import { delegatingGraphPort } from '../graph/delegating-port';
import { APP_IDS } from '../runbooks/app-ids';
import type { RunbookInputs, RunbookStep } from '../runbooks/types';
import { oneBatchReads } from './one-batch-graph';
import {
  certificateServers,
  type HybridAppProbe,
  probeHybridApp,
  probeServerCertificates,
  type ServerCertificate,
} from './parity-probe';

type Row = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const thumbprint = (value: unknown): string | null => str(value).replace(/\s+/g, '').toUpperCase() || null;

/** The EWS endpoint Test-OAuthConnectivity is pointed at, as Microsoft's hybrid guidance does. */
export const EXCHANGE_ONLINE_EWS = 'https://outlook.office365.com/ews/exchange.asmx';

/** What the extra reads returned: rows, or the error sentence when a read failed. */
export interface ReadOutcome {
  readonly rows: readonly Row[];
  readonly error: string | null;
}

export interface OrgProbe {
  readonly steps: readonly RunbookStep[];
  readonly snapshot: Snapshot;
  readonly authConfig: Row | null;
  readonly certificates: readonly Row[];
  readonly authServers: ReadOutcome;
  readonly connectors: ReadOutcome;
  readonly partnerApplications: ReadOutcome;
  readonly oauth: ReadOutcome;
  readonly autoReply: ReadOutcome | null;
  readonly principals: Readonly<Record<string, ServicePrincipal | null>>;
  /** The auth certificates on every Mailbox/Client Access server; `serversError` when Get-ExchangeServer failed. */
  readonly serverCertificates: readonly ServerCertificate[];
  readonly serversError: string | null;
  readonly settingOverrides: ReadOutcome;
  readonly hybridApp: HybridAppProbe;
}

/** Every service principal a set of steps touches, plus the ones verification always looks at. */
export function principalsFor(steps: readonly RunbookStep[]): string[] {
  const ids = steps.flatMap((step) => ('appId' in step ? [step.appId] : []));
  return [...new Set([...ids, APP_IDS.exchangeOnline])];
}

function extraReads(inputs: RunbookInputs, testMailbox: string | undefined): EmsCommand[] {
  const dc: Record<string, string> = inputs.dc ? { DomainController: inputs.dc } : {};
  const oauth: Record<string, string> = { Service: 'EWS', TargetUri: EXCHANGE_ONLINE_EWS };
  if (testMailbox) oauth.Mailbox = testMailbox;
  const reads: EmsCommand[] = [
    { cmdlet: 'Get-AuthConfig', params: { ...dc } },
    { cmdlet: 'Get-ExchangeCertificate', params: {} },
    { cmdlet: 'Get-AuthServer', params: { ...dc } },
    { cmdlet: 'Get-IntraOrganizationConnector', params: { ...dc } },
    { cmdlet: 'Get-PartnerApplication', params: { ...dc } },
    { cmdlet: 'Test-OAuthConnectivity', params: oauth },
    { cmdlet: 'Get-ExchangeServer', params: { ...dc } },
    { cmdlet: 'Get-SettingOverride', params: { ...dc } },
    { cmdlet: 'Get-OrganizationConfig', params: { ...dc } },
  ];
  if (testMailbox)
    reads.push({ cmdlet: 'Get-MailboxAutoReplyConfiguration', params: { Identity: testMailbox, ...dc } });
  return reads;
}

const outcome = (result: EmsResult | undefined): ReadOutcome =>
  !result
    ? { rows: [], error: 'no answer' }
    : result.ok
      ? { rows: result.output, error: null }
      : { rows: [], error: result.error.message };

/** Probes the org for a verification: at most two EMS round trips plus the certificate export, and one `$batch`. */
export async function probeOrg(
  steps: readonly RunbookStep[],
  inputs: RunbookInputs,
  deps: Pick<PlanDeps, 'ems' | 'graph'>,
  testMailbox?: string,
): Promise<OrgProbe> {
  const appIds = principalsFor(steps);
  const batch = oneBatchReads(deps.graph, appIds);
  // Verification only reads; the other methods stay those of the real port.
  const graph: GraphPort = {
    ...delegatingGraphPort(deps.graph),
    readServicePrincipals: batch.readServicePrincipals,
  };
  const reads = extraReads(inputs, testMailbox);
  const [snapshot, results] = await Promise.all([
    takeSnapshot(steps, inputs, deps.ems, graph),
    deps.ems.runReads(reads),
  ]);
  const principals = await graph.readServicePrincipals(appIds);
  const [authConfig, certificates, authServers, connectors, partnerApplications, oauth, ...rest] = reads.map(
    (_, index) => outcome(results[index]),
  );
  const [servers, settingOverrides, organization, autoReply] = rest;
  const config = authConfig?.rows[0];
  const [serverCertificates, hybridApp] = await Promise.all([
    probeServerCertificates(deps.ems, certificateServers(servers?.rows ?? []), {
      current: thumbprint(config?.CurrentCertificateThumbprint),
      next: thumbprint(config?.NextCertificateThumbprint),
    }),
    probeHybridApp(graph, str(organization?.rows[0]?.Guid)),
  ]);
  return {
    steps,
    snapshot,
    authConfig: authConfig?.rows[0] ?? null,
    certificates: certificates?.rows ?? [],
    authServers: authServers ?? { rows: [], error: 'no answer' },
    connectors: connectors ?? { rows: [], error: 'no answer' },
    partnerApplications: partnerApplications ?? { rows: [], error: 'no answer' },
    oauth: oauth ?? { rows: [], error: 'no answer' },
    autoReply: autoReply ?? null,
    principals,
    serverCertificates,
    serversError: servers?.error ?? null,
    settingOverrides: settingOverrides ?? { rows: [], error: 'no answer' },
    hybridApp,
  };
}

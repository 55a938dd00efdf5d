/** Reads everything verification needs: the runbook's snapshot, the auth and OAuth state, one Graph `$batch`. */

import type { EmsCommand, EmsResult } from '../core/ems';
import type { ServicePrincipal } from '../core/entra';
import type { GraphPort } from '../core/ports';
import type { PlanDeps } from '../engine/planner';
import { type Snapshot, takeSnapshot } from '../engine/snapshot';
import { dedicatedAppName } from '../graph/dedicated-app';
import { delegatingGraphPort } from '../graph/delegating-port';
import { APP_IDS } from '../runbooks/app-ids';
import type { RunbookInputs, RunbookStep } from '../runbooks/types';
import { verificationBatch } from './one-batch-graph';
import {
  certificateServers,
  type HybridAppProbe,
  hybridAppProbe,
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

/** The extra reads' outcomes by cmdlet; `autoReply` null when no test mailbox was asked about. */
function named(reads: readonly EmsCommand[], results: readonly EmsResult[]) {
  const index = (cmdlet: string) => reads.findIndex((read) => read.cmdlet === cmdlet);
  const of = (cmdlet: string): ReadOutcome => outcome(results[index(cmdlet)]);
  return {
    authConfig: of('Get-AuthConfig'),
    certificates: of('Get-ExchangeCertificate'),
    authServers: of('Get-AuthServer'),
    connectors: of('Get-IntraOrganizationConnector'),
    partnerApplications: of('Get-PartnerApplication'),
    oauth: of('Test-OAuthConnectivity'),
    servers: of('Get-ExchangeServer'),
    settingOverrides: of('Get-SettingOverride'),
    organization: of('Get-OrganizationConfig'),
    autoReply:
      index('Get-MailboxAutoReplyConfiguration') < 0 ? null : of('Get-MailboxAutoReplyConfiguration'),
  };
}

/** `ExchangeServerApp-<organization GUID>`, or null when Get-OrganizationConfig gave no GUID. */
function hybridAppName(organization: ReadOutcome): string | null {
  const guid = str(organization.rows[0]?.Guid);
  return guid ? dedicatedAppName(guid) : null;
}

/**
 * Probes the org for a verification: the extra reads' EMS job, then (once it named the organization) one Graph
 * `$batch` in flight with the per-server certificate job; the runbook's own EMS job alongside, its service principals
 * answered from the same batch.
 */
export async function probeOrg(
  steps: readonly RunbookStep[],
  inputs: RunbookInputs,
  deps: Pick<PlanDeps, 'ems' | 'graph'>,
  testMailbox?: string,
): Promise<OrgProbe> {
  // The extra reads go first: the batch waits for their Get-OrganizationConfig, the snapshot's job waits for nothing.
  const reads = extraReads(inputs, testMailbox);
  const extra = deps.ems.runReads(reads).then((results) => named(reads, results));
  const appName = extra.then((read) => hybridAppName(read.organization));
  const batch = verificationBatch(deps.graph, principalsFor(steps), appName);
  // Verification only reads; the other methods stay those of the real port.
  const graph: GraphPort = {
    ...delegatingGraphPort(deps.graph),
    readServicePrincipals: batch.readServicePrincipals,
  };
  const serverCertificates = extra.then((read) => {
    const config = read.authConfig.rows[0];
    return probeServerCertificates(deps.ems, certificateServers(read.servers.rows), {
      current: thumbprint(config?.CurrentCertificateThumbprint),
      next: thumbprint(config?.NextCertificateThumbprint),
    });
  });
  const [read, name, snapshot, directory, certificates] = await Promise.all([
    extra,
    appName,
    takeSnapshot(steps, inputs, deps.ems, graph),
    batch.directory,
    serverCertificates,
  ]);
  return {
    steps,
    snapshot,
    authConfig: read.authConfig.rows[0] ?? null,
    certificates: read.certificates.rows,
    authServers: read.authServers,
    connectors: read.connectors,
    partnerApplications: read.partnerApplications,
    oauth: read.oauth,
    autoReply: read.autoReply,
    principals: directory.principals,
    serverCertificates: certificates,
    serversError: read.servers.error,
    settingOverrides: read.settingOverrides,
    hybridApp: hybridAppProbe(name, directory.dedicatedApp),
  };
}

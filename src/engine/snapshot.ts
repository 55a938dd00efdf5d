/** Probing: the read-only commands a set of steps needs, run together, and what they say about the org. */
import type { EmsCommand, EmsResult } from '../core/ems';
import type { AuthCertificate, ServicePrincipal } from '../core/entra';
import { CodedError } from '../core/errors';
import type { EmsRunner, GraphPort } from '../core/ports';
import { isNotFound } from '../exchange/not-found';
import { renderCommand } from '../exchange/render';
import type { RunbookInputs, RunbookStep } from '../runbooks/types';
import { isRotationStep, type RotationView, readRotation } from './rotation-snapshot';

type Row = Record<string, unknown>;

export interface MailUserView {
  readonly name: string;
  readonly identity: string;
  readonly hidden: boolean;
  readonly externalEmailAddress: string;
}
export interface PartnerApplicationView {
  readonly name: string;
  readonly applicationIdentifier: string;
  readonly realm: string;
  readonly enabled: boolean;
  readonly linkedAccount: string | null;
}
export interface AuthServerView {
  readonly name: string;
  readonly type: string;
  readonly authMetadataUrl: string;
  readonly realm: string;
  readonly enabled: boolean;
}

/** What the probes found; `undefined` means "not probed", `null` means "probed and absent". */
export interface Snapshot {
  readonly mailUsers: Map<string, MailUserView | null>;
  readonly roles: Map<string, { parent: string | null } | null>;
  readonly roleEntries: Map<string, readonly string[] | null>;
  readonly roleAssignees: Map<string, readonly string[]>;
  partnerApplications?: readonly PartnerApplicationView[];
  authServers?: readonly AuthServerView[];
  intraOrganizationConnectors?: readonly { name: string; enabled: boolean }[];
  authCertificate?: AuthCertificate | null;
  authCertificateProblem?: string;
  /** Rotation steps: the auth configuration, the server's certificates and the key to upload. */
  rotation?: RotationView;
  readonly servicePrincipals: Map<string, ServicePrincipal | null>;
}

const key = (name: string) => name.toLowerCase();
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function needsCertificate(step: RunbookStep): boolean {
  return step.kind === 'exportAuthCertificate' || step.kind === 'uploadAuthCertificate';
}

/** The first round of read-only commands for these steps, de-duplicated, in a stable order. */
export function firstRoundReads(steps: readonly RunbookStep[], inputs: RunbookInputs): EmsCommand[] {
  const dc: Record<string, string> = inputs.dc ? { DomainController: inputs.dc } : {};
  const reads: EmsCommand[] = [];
  const add = (command: EmsCommand) => reads.push(command);
  for (const step of steps) {
    switch (step.kind) {
      case 'mailUser':
      case 'mailUserHidden':
        add({ cmdlet: 'Get-MailUser', params: { Identity: step.name, ...dc } });
        break;
      case 'managementRole':
        add({ cmdlet: 'Get-ManagementRole', params: { Identity: step.name, ...dc } });
        break;
      case 'roleEntriesOnly':
        add({ cmdlet: 'Get-ManagementRole', params: { Identity: step.role, ...dc } });
        add({ cmdlet: 'Get-ManagementRoleEntry', params: { Identity: `${step.role}\\*`, ...dc } });
        add({ cmdlet: 'Get-ManagementRoleEntry', params: { Identity: `${step.parent}\\*`, ...dc } });
        break;
      case 'roleAssignment':
        add({ cmdlet: 'Get-ManagementRoleAssignment', params: { Role: step.role, ...dc } });
        break;
      case 'partnerApplication':
        if (step.linkedAccount)
          add({ cmdlet: 'Get-MailUser', params: { Identity: step.linkedAccount, ...dc } });
        add({ cmdlet: 'Get-PartnerApplication', params: { ...dc } });
        break;
      case 'enablePartnerApplication':
      case 'removePartnerApplication':
        add({ cmdlet: 'Get-PartnerApplication', params: { ...dc } });
        break;
      case 'authServer':
        add({ cmdlet: 'Get-AuthServer', params: { ...dc } });
        break;
      case 'hybridOAuthPrerequisite':
        add({ cmdlet: 'Get-AuthServer', params: { ...dc } });
        add({ cmdlet: 'Get-IntraOrganizationConnector', params: { ...dc } });
        add({ cmdlet: 'Get-PartnerApplication', params: { ...dc } });
        break;
      case 'exportAuthCertificate':
      case 'uploadAuthCertificate':
        add({ cmdlet: 'Get-AuthConfig', params: { ...dc } });
        add({ cmdlet: 'Get-ExchangeCertificate', params: {} });
        break;
      case 'servicePrincipalName':
        break;
      case 'uploadRotatedAuthCertificate':
        add({ cmdlet: 'Get-PartnerApplication', params: { ...dc } });
        add({ cmdlet: 'Get-AuthConfig', params: { ...dc } });
        add({ cmdlet: 'Get-ExchangeCertificate', params: {} });
        break;
      case 'newAuthCertificate':
      case 'stageAuthCertificate':
      case 'publishAuthCertificate':
      case 'clearPreviousAuthCertificate':
        add({ cmdlet: 'Get-AuthConfig', params: { ...dc } });
        add({ cmdlet: 'Get-ExchangeCertificate', params: {} });
        break;
    }
  }
  const seen = new Set<string>();
  return reads.filter((command) => {
    const text = renderCommand(command);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}

function rowsOrAbsent(command: EmsCommand, result: EmsResult): readonly Row[] | null {
  if (result.ok) return result.output;
  if (isNotFound(result.error)) return null;
  throw new CodedError(
    'PROBE_FAILED',
    `Could not read the org: ${renderCommand(command)} failed: ${result.error.message}`,
  );
}

function absorb(snapshot: Snapshot, command: EmsCommand, rows: readonly Row[] | null): void {
  const identity = str(command.params.Identity);
  switch (command.cmdlet) {
    case 'Get-MailUser': {
      const row = rows?.[0];
      snapshot.mailUsers.set(
        key(identity),
        row
          ? {
              name: str(row.Name),
              identity: str(row.Identity),
              hidden: row.HiddenFromAddressListsEnabled === true,
              externalEmailAddress: str(row.ExternalEmailAddress),
            }
          : null,
      );
      break;
    }
    case 'Get-ManagementRole': {
      const row = rows?.[0];
      snapshot.roles.set(key(identity), row ? { parent: str(row.Parent) || null } : null);
      break;
    }
    case 'Get-ManagementRoleEntry':
      snapshot.roleEntries.set(
        key(identity.replace(/\\\*$/, '')),
        rows ? rows.map((row) => str(row.Name)) : null,
      );
      break;
    case 'Get-ManagementRoleAssignment':
      snapshot.roleAssignees.set(
        key(str(command.params.Role)),
        (rows ?? []).filter((row) => row.Enabled !== false).map((row) => str(row.RoleAssigneeName)),
      );
      break;
    case 'Get-PartnerApplication':
      snapshot.partnerApplications = (rows ?? []).map((row) => ({
        name: str(row.Name),
        applicationIdentifier: str(row.ApplicationIdentifier),
        realm: str(row.Realm),
        enabled: row.Enabled === true,
        linkedAccount: str(row.LinkedAccount) || null,
      }));
      break;
    case 'Get-AuthServer':
      snapshot.authServers = (rows ?? []).map((row) => ({
        name: str(row.Name),
        type: str(row.Type),
        authMetadataUrl: str(row.AuthMetadataUrl),
        realm: str(row.Realm),
        enabled: row.Enabled !== false,
      }));
      break;
    case 'Get-IntraOrganizationConnector':
      snapshot.intraOrganizationConnectors = (rows ?? []).map((row) => ({
        name: str(row.Name),
        enabled: row.Enabled !== false,
      }));
      break;
    default:
      break;
  }
}

/** Probes the org for these steps: one batch of reads, then the certificate export, then one Graph batch. */
export async function takeSnapshot(
  steps: readonly RunbookStep[],
  inputs: RunbookInputs,
  ems: EmsRunner,
  graph: GraphPort,
): Promise<Snapshot> {
  const snapshot: Snapshot = {
    mailUsers: new Map(),
    roles: new Map(),
    roleEntries: new Map(),
    roleAssignees: new Map(),
    servicePrincipals: new Map(),
  };
  const reads = firstRoundReads(steps, inputs);
  const results = reads.length > 0 ? await ems.runReads(reads) : [];
  let authConfig: Row | undefined;
  let certificates: readonly Row[] = [];
  reads.forEach((command, index) => {
    const result = results[index];
    if (!result) throw new CodedError('PROBE_FAILED', `No answer for ${renderCommand(command)}.`);
    const rows = rowsOrAbsent(command, result);
    if (command.cmdlet === 'Get-AuthConfig') authConfig = rows?.[0];
    else if (command.cmdlet === 'Get-ExchangeCertificate') certificates = rows ?? [];
    else absorb(snapshot, command, rows);
  });

  const appIds = [
    ...new Set(
      steps.flatMap((step) =>
        step.kind === 'uploadAuthCertificate' ||
        step.kind === 'servicePrincipalName' ||
        step.kind === 'uploadRotatedAuthCertificate'
          ? [step.appId]
          : [],
      ),
    ),
  ];
  const certificateWork = steps.some(needsCertificate)
    ? exportAuthCertificate(snapshot, authConfig, certificates, ems)
    : Promise.resolve();
  const graphWork =
    appIds.length > 0
      ? graph.readServicePrincipals(appIds)
      : Promise.resolve<Record<string, ServicePrincipal | null>>({});
  const [, principals] = await Promise.all([certificateWork, graphWork]);
  for (const appId of appIds) snapshot.servicePrincipals.set(appId, principals[appId] ?? null);
  if (steps.some(isRotationStep))
    snapshot.rotation = await readRotation(authConfig, certificates, ems, steps);
  return snapshot;
}

async function exportAuthCertificate(
  snapshot: Snapshot,
  authConfig: Row | undefined,
  certificates: readonly Row[],
  ems: EmsRunner,
): Promise<void> {
  const thumbprint = str(authConfig?.CurrentCertificateThumbprint).toUpperCase();
  if (!thumbprint) {
    snapshot.authCertificate = null;
    snapshot.authCertificateProblem = 'Get-AuthConfig shows no CurrentCertificateThumbprint.';
    return;
  }
  const certificate = certificates.find((row) => str(row.Thumbprint).toUpperCase() === thumbprint);
  if (!certificate) {
    snapshot.authCertificate = null;
    snapshot.authCertificateProblem = `The auth certificate ${thumbprint} named by Get-AuthConfig is not installed on this server.`;
    return;
  }
  const command = exportCommand(thumbprint);
  const [result] = await ems.runReads([command]);
  const rows = result ? rowsOrAbsent(command, result) : null;
  const derBase64 = str(rows?.[0]?.FileData);
  if (!derBase64) {
    snapshot.authCertificate = null;
    snapshot.authCertificateProblem = `Export-ExchangeCertificate returned no data for ${thumbprint}.`;
    return;
  }
  snapshot.authCertificate = {
    thumbprint,
    subject: str(certificate.Subject),
    notBefore: str(certificate.NotBefore),
    notAfter: str(certificate.NotAfter),
    derBase64,
  };
}

/** The public-key export of the auth certificate (seed step "Export the Exchange Server Auth Certificate"). */
export function exportCommand(thumbprint: string): EmsCommand {
  return { cmdlet: 'Export-ExchangeCertificate', params: { Thumbprint: thumbprint, BinaryEncoded: true } };
}

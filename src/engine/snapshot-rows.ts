/** What one read-only command's rows say about the org, folded into a snapshot. */
import type { EmsCommand } from '../core/ems';
import type { MailUserView, Snapshot } from './snapshot-types';

export type Row = Record<string, unknown>;
export type { AuthServerView, MailUserView, PartnerApplicationView } from './snapshot-types';

const key = (name: string) => name.toLowerCase();
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(str).filter((item) => item !== '') : str(value) ? [str(value)] : [];

function mailUser(row: Row | undefined): MailUserView | null {
  return row
    ? {
        name: str(row.Name),
        identity: str(row.Identity),
        hidden: row.HiddenFromAddressListsEnabled === true,
        externalEmailAddress: str(row.ExternalEmailAddress),
      }
    : null;
}

/** The roles assigned to the account itself (assignments through a group name the group, not the account). */
function assignedRoles(account: string, rows: readonly Row[] | null): string[] {
  return (rows ?? [])
    .filter((row) => row.Enabled !== false && key(str(row.RoleAssigneeName)) === key(account))
    .map((row) => str(row.Role));
}

/** Folds one command's rows (null: the object does not exist) into the snapshot. */
export function absorb(snapshot: Snapshot, command: EmsCommand, rows: readonly Row[] | null): void {
  const identity = str(command.params.Identity);
  switch (command.cmdlet) {
    case 'Get-MailUser':
      snapshot.mailUsers.set(key(identity), mailUser(rows?.[0]));
      break;
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
    case 'Get-ManagementRoleAssignment': {
      const account = str(command.params.RoleAssignee);
      snapshot.roleAssignments.set(key(account), assignedRoles(account, rows));
      break;
    }
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
        applicationIdentifier: str(row.ApplicationIdentifier),
        domainName: strings(row.DomainName),
      }));
      break;
    case 'Get-ExchangeServer':
      snapshot.exchangeServers = (rows ?? []).map((row) => ({
        name: str(row.Name),
        role: str(row.ServerRole),
        adminDisplayVersion: str(row.AdminDisplayVersion),
      }));
      break;
    case 'Get-SettingOverride':
      snapshot.settingOverrides = (rows ?? []).map((row) => ({
        name: str(row.Name),
        componentName: str(row.ComponentName),
        sectionName: str(row.SectionName),
        parameters: strings(row.Parameters),
      }));
      break;
    case 'Get-OrganizationConfig':
      snapshot.organizationGuid = str(rows?.[0]?.Guid);
      break;
    case 'Get-IntraOrganizationConnector':
      snapshot.intraOrganizationConnectors = (rows ?? []).map((row) => ({
        name: str(row.Name),
        enabled: row.Enabled !== false,
        targetAddressDomains: strings(row.TargetAddressDomains),
      }));
      break;
    case 'Get-AcceptedDomain':
      snapshot.acceptedDomains = (rows ?? []).map((row) => str(row.DomainName).toLowerCase());
      break;
    default:
      break;
  }
}

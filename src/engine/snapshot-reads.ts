/** The read-only commands and service principals a set of steps is planned from: one relay job and one `$batch`. */
import type { EmsCommand } from '../core/ems';
import type { PlanReads } from '../core/plan';
import { renderCommand } from '../exchange/render';
import type { RunbookInputs, RunbookStep } from '../runbooks/types';

function readsOf(step: RunbookStep, dc: Record<string, string>): EmsCommand[] {
  const config: EmsCommand[] = [
    { cmdlet: 'Get-AuthConfig', params: { ...dc } },
    { cmdlet: 'Get-ExchangeCertificate', params: {} },
  ];
  const partnerApplications: EmsCommand = { cmdlet: 'Get-PartnerApplication', params: { ...dc } };
  switch (step.kind) {
    case 'mailUser':
    case 'mailUserHidden':
      return [{ cmdlet: 'Get-MailUser', params: { Identity: step.name, ...dc } }];
    case 'managementRole':
      return [{ cmdlet: 'Get-ManagementRole', params: { Identity: step.name, ...dc } }];
    case 'roleEntriesOnly':
      return [
        { cmdlet: 'Get-ManagementRole', params: { Identity: step.role, ...dc } },
        { cmdlet: 'Get-ManagementRoleEntry', params: { Identity: `${step.role}\\*`, ...dc } },
        { cmdlet: 'Get-ManagementRoleEntry', params: { Identity: `${step.parent}\\*`, ...dc } },
      ];
    case 'roleAssignment':
      // One read per account, whatever the number of roles assigned to it.
      return [{ cmdlet: 'Get-ManagementRoleAssignment', params: { RoleAssignee: step.user, ...dc } }];
    case 'partnerApplication':
      return [
        ...(step.linkedAccount
          ? [{ cmdlet: 'Get-MailUser' as const, params: { Identity: step.linkedAccount, ...dc } }]
          : []),
        partnerApplications,
      ];
    case 'enablePartnerApplication':
    case 'removePartnerApplication':
      return [partnerApplications];
    case 'authServer':
      return [{ cmdlet: 'Get-AuthServer', params: { ...dc } }];
    case 'hybridOAuthPrerequisite':
      return [
        { cmdlet: 'Get-AuthServer', params: { ...dc } },
        { cmdlet: 'Get-IntraOrganizationConnector', params: { ...dc } },
        partnerApplications,
      ];
    case 'tenantAuthServer':
      return [{ cmdlet: 'Get-AuthServer', params: { ...dc } }];
    case 'intraOrganizationConnector':
      return [
        { cmdlet: 'Get-AcceptedDomain', params: { ...dc } },
        { cmdlet: 'Get-IntraOrganizationConnector', params: { ...dc } },
      ];
    case 'exchangeBuilds':
      return [{ cmdlet: 'Get-ExchangeServer', params: { ...dc } }];
    case 'hybridApplication':
      return [
        { cmdlet: 'Get-OrganizationConfig', params: { ...dc } },
        ...(step.part === 'keys' ? config : []),
      ];
    case 'hybridAppAuthServer':
      return [
        { cmdlet: 'Get-OrganizationConfig', params: { ...dc } },
        { cmdlet: 'Get-AuthServer', params: { ...dc } },
        { cmdlet: 'Get-AcceptedDomain', params: { ...dc } },
      ];
    case 'hybridAppOverride':
      return [
        { cmdlet: 'Get-ExchangeServer', params: { ...dc } },
        { cmdlet: 'Get-SettingOverride', params: { ...dc } },
        partnerApplications,
        { cmdlet: 'Get-IntraOrganizationConnector', params: { ...dc } },
      ];
    case 'sharedPrincipalCleanup':
      return [
        { cmdlet: 'Get-ExchangeServer', params: { ...dc } },
        { cmdlet: 'Get-OrganizationConfig', params: { ...dc } },
        { cmdlet: 'Get-AuthServer', params: { ...dc } },
        { cmdlet: 'Get-AcceptedDomain', params: { ...dc } },
        { cmdlet: 'Get-SettingOverride', params: { ...dc } },
        partnerApplications,
        { cmdlet: 'Get-IntraOrganizationConnector', params: { ...dc } },
        ...config,
      ];
    case 'servicePrincipalName':
    case 'manual':
      return [];
    case 'uploadRotatedAuthCertificate':
      return [partnerApplications, ...config];
    case 'uploadRotatedHybridAppCertificate':
      return [{ cmdlet: 'Get-OrganizationConfig', params: { ...dc } }, ...config];
    case 'exportAuthCertificate':
    case 'uploadAuthCertificate':
    case 'newAuthCertificate':
    case 'stageAuthCertificate':
    case 'publishAuthCertificate':
    case 'clearPreviousAuthCertificate':
      return config;
  }
}

/** The read-only EMS commands for these steps, de-duplicated, in a stable order. */
export function firstRoundReads(steps: readonly RunbookStep[], inputs: RunbookInputs): EmsCommand[] {
  const dc: Record<string, string> = inputs.dc ? { DomainController: inputs.dc } : {};
  const seen = new Set<string>();
  return steps
    .flatMap((step) => readsOf(step, dc))
    .filter((command) => {
      const text = renderCommand(command);
      if (seen.has(text)) return false;
      seen.add(text);
      return true;
    });
}

/** The service principals (by appId) these steps act on. */
export function servicePrincipalReads(steps: readonly RunbookStep[]): string[] {
  return [
    ...new Set(
      steps.flatMap((step) =>
        step.kind === 'uploadAuthCertificate' ||
        step.kind === 'servicePrincipalName' ||
        step.kind === 'uploadRotatedAuthCertificate' ||
        step.kind === 'sharedPrincipalCleanup'
          ? [step.appId]
          : [],
      ),
    ),
  ];
}

/** Everything a plan of these steps reads. */
export function planReads(steps: readonly RunbookStep[], inputs: RunbookInputs): PlanReads {
  return { ems: firstRoundReads(steps, inputs), servicePrincipals: servicePrincipalReads(steps) };
}

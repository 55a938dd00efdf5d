/**
 * Entra and Exchange as the Hybrid Configuration Wizard or ConfigureExchangeHybridApplication.ps1 leave them, for
 * `createLabState`: the auth certificate's key on the shared Exchange Online principal, and the dedicated
 * Exchange hybrid application with its permission, consent, key, auth server link and setting override.
 */
import { randomUUID } from 'node:crypto';
import { isoSeconds } from '../core/time';
import { HYBRID_APP_OVERRIDE } from '../exchange/cmdlets-hybrid';
import type { CreatedCertificate } from './certificates';
import { EXCHANGE_ONLINE_RESOURCE_APP_ID, FULL_ACCESS_AS_APP } from './exchange-online-roles';
import { newAppRoleAssignmentId } from './graph/ids';
import type { LabKeyCredential, LabState } from './state';

/** The name the script and the wizard give the application: `ExchangeServerApp-<organization GUID>`. */
export function hybridAppName(organizationGuid: string): string {
  return `ExchangeServerApp-${organizationGuid}`;
}

/** The setting override's name in the dedicated hybrid app guidance. */
export const HYBRID_APP_OVERRIDE_NAME = 'EnableExchangeHybrid3PAppFeature';

/** The notes ConfigureExchangeHybridApplication.ps1 writes on the application and its service principal. */
export const HYBRID_APP_NOTES =
  'Used by Exchange Server as part of the hybrid configuration to enable hybrid features such as Free/Busy, ' +
  'MailTips, and Profile Picture sharing between Exchange Server and Exchange Online.';

/** The certificate as Entra stores an uploaded key (Graph fills thumbprint and dates from the certificate). */
export function keyCredentialOf(cert: CreatedCertificate): LabKeyCredential {
  return {
    keyId: randomUUID(),
    customKeyIdentifier: cert.thumbprint,
    displayName: cert.subject,
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: cert.derBase64,
    startDateTime: cert.notBefore,
    endDateTime: cert.notAfter,
  };
}

/** Puts the auth certificate's key on the shared Exchange Online service principal, as the wizard uploads it. */
export function addSharedPrincipalKey(state: LabState, cert: CreatedCertificate): void {
  const shared = state.tenant.servicePrincipals.find((sp) => sp.appId === EXCHANGE_ONLINE_RESOURCE_APP_ID);
  shared?.keyCredentials.push(keyCredentialOf(cert));
}

/** Deploys the dedicated hybrid application end to end, a day before `now` (so the override is in effect). */
export function addDedicatedHybridApp(state: LabState, cert: CreatedCertificate, now: Date): void {
  const created = isoSeconds(new Date(now.getTime() - 24 * 3_600_000));
  const displayName = hybridAppName(state.org.organizationGuid);
  const appId = randomUUID();
  state.tenant.applications.push({
    id: randomUUID(),
    appId,
    displayName,
    description: null,
    notes: HYBRID_APP_NOTES,
    signInAudience: 'AzureADMyOrg',
    createdDateTime: created,
    keyCredentials: [keyCredentialOf(cert)],
    requiredResourceAccess: [
      {
        resourceAppId: EXCHANGE_ONLINE_RESOURCE_APP_ID,
        resourceAccess: [{ id: FULL_ACCESS_AS_APP.id, type: 'Role' }],
      },
    ],
    tags: [],
  });
  const principal = {
    id: randomUUID(),
    appId,
    displayName,
    servicePrincipalNames: [appId],
    keyCredentials: [],
    tags: ['WindowsAzureActiveDirectoryIntegratedApp', 'HideApp'],
    appRoles: [],
    accountEnabled: true,
    description: null,
    notes: HYBRID_APP_NOTES,
  };
  state.tenant.servicePrincipals.push(principal);
  const resource = state.tenant.servicePrincipals.find((sp) => sp.appId === EXCHANGE_ONLINE_RESOURCE_APP_ID);
  state.tenant.appRoleAssignments.push({
    id: newAppRoleAssignmentId(),
    principalId: principal.id,
    resourceId: resource?.id ?? '',
    appRoleId: FULL_ACCESS_AS_APP.id,
    createdDateTime: created,
  });
  linkAuthServer(state, appId);
  state.org.settingOverrides.push({
    name: HYBRID_APP_OVERRIDE_NAME,
    componentName: HYBRID_APP_OVERRIDE.component,
    sectionName: HYBRID_APP_OVERRIDE.section,
    parameters: ['Enabled=true'],
    reason: `Created by ConfigureExchangeHybridApplication.ps1 on ${created}`,
    server: null,
    whenCreated: created,
    whenChanged: created,
  });
}

/** Set-AuthServer -ApplicationIdentifier -DomainName on the evoSTS server, with the ACS server's domains. */
function linkAuthServer(state: LabState, appId: string): void {
  const servers = state.org.authServers;
  const acs = servers.find((server) => server.type === 'MicrosoftACS');
  const evoSts = servers.find((server) => server.type === 'AzureAD');
  if (!evoSts) return;
  evoSts.applicationIdentifier = appId;
  evoSts.domainName = [...(acs?.domainName ?? evoSts.domainName)];
}

/**
 * Step 1 of the seeds: OAuth between Exchange Server and Exchange Online, as "Configure OAuth authentication between
 * Exchange and Exchange Online organizations" lists it, with the objects named as the Hybrid Configuration Wizard
 * names them. The certificate upload to the shared Exchange Online principal (that article's steps 3–4) is left
 * out: Exchange Online refuses EWS calls through it since 2025-10-31 (see plan dedicated-hybrid-app).
 */
import { APP_IDS } from './app-ids';
import { HYBRID_OAUTH } from './articles';
import type { Cloud, Runbook } from './types';

/** Per cloud: the metadata hosts of the ACS and evoSTS auth servers (the article's step 1 and its GCC High/DoD note). */
const METADATA_HOSTS: Readonly<Record<Cloud, { acs: string; evoSts: string; autodiscover: string }>> = {
  Global: {
    acs: 'accounts.accesscontrol.windows.net',
    evoSts: 'login.windows.net',
    autodiscover: 'https://outlook.office365.com/autodiscover/autodiscover.svc',
  },
  USGovernmentL4: {
    acs: 'login.microsoftonline.us',
    evoSts: 'login.microsoftonline.us',
    autodiscover: 'https://autodiscover-s.office365.us/autodiscover/autodiscover.svc',
  },
  USGovernmentL5: {
    acs: 'login.microsoftonline.us',
    evoSts: 'login.microsoftonline.us',
    autodiscover: 'https://autodiscover-s-dod.office365.us/autodiscover/autodiscover.svc',
  },
};

/** The ACS auth server's metadata URL for the tenant in `cloud`. */
export function acsMetadataUrl(cloud: Cloud, tenantId: string): string {
  return `https://${METADATA_HOSTS[cloud].acs}/${tenantId}/metadata/json/1`;
}

/** The evoSTS (AzureAD) auth server's metadata URL for the tenant in `cloud`. */
export function evoStsMetadataUrl(cloud: Cloud, tenantId: string): string {
  return `https://${METADATA_HOSTS[cloud].evoSts}/${tenantId}/federationmetadata/2007-06/federationmetadata.xml`;
}

/** The name the on-premises organization gets for itself in the Exchange Online connector command. */
const ONLINE_CONNECTOR = 'ExchangeHybridOnlineToOnPremises';

export const hybridOAuth: Runbook = {
  name: 'hybrid-oauth',
  title: 'OAuth between Exchange Server and Exchange Online (hybrid)',
  source: 'Configure OAuth authentication between Exchange and Exchange Online organizations',
  exchangeVersions: 'Exchange Server 2013 CU5 through Subscription Edition',
  requires: ['domain', 'dc', 'tenantId'],
  article: HYBRID_OAUTH,
  notes: [
    'Auth servers are found by type and tenant realm, whatever their name; new ones get the names the Hybrid Configuration Wizard gives.',
    "The article's certificate upload to the shared Exchange Online service principal is left out: Exchange Online refuses EWS calls through it since 2025-10-31. Run plan dedicated-hybrid-app next.",
  ],
  steps: (inputs) => {
    const cloud = inputs.cloud ?? 'Global';
    const tenant = inputs.tenantId ?? '';
    return [
      {
        kind: 'tenantAuthServer',
        id: 'auth-server-evosts',
        title: 'Auth server for Microsoft Entra ID (evoSTS, Type AzureAD) with the tenant realm',
        seedStep: 'Step 1',
        serverType: 'AzureAD',
        name: `EvoSts - ${tenant}`,
        authMetadataUrl: evoStsMetadataUrl(cloud, tenant),
      },
      {
        kind: 'tenantAuthServer',
        id: 'auth-server-acs',
        title: 'Auth server for Azure Access Control (ACS, Type MicrosoftACS) with the tenant realm',
        seedStep: 'Step 1',
        serverType: 'MicrosoftACS',
        name: `ACS - ${tenant}`,
        authMetadataUrl: acsMetadataUrl(cloud, tenant),
      },
      {
        kind: 'enablePartnerApplication',
        id: 'enable-exchange-online',
        title:
          'Exchange Online partner application (00000002-0000-0ff1-ce00-000000000000, empty realm) enabled',
        seedStep: 'Step 2',
        applicationIdentifier: APP_IDS.exchangeOnline,
        realm: '',
      },
      {
        kind: 'servicePrincipalName',
        id: 'register-spns',
        title: `https://mail.${inputs.domain}/ and https://autodiscover.${inputs.domain}/ on the Exchange Online service principal`,
        seedStep: 'Step 5',
        appId: APP_IDS.exchangeOnline,
        servicePrincipalNames: [`https://mail.${inputs.domain}/`, `https://autodiscover.${inputs.domain}/`],
      },
      {
        kind: 'intraOrganizationConnector',
        id: 'intra-organization-connector',
        title: 'Intra-organization connector from Exchange Server to Exchange Online',
        seedStep: 'Step 6',
        name: 'ExchangeHybridOnPremisesToOnline',
        discoveryEndpoint: METADATA_HOSTS[cloud].autodiscover,
      },
      {
        kind: 'manual',
        id: 'exchange-online-connector',
        title: 'Intra-organization connector from Exchange Online to Exchange Server (in Exchange Online)',
        seedStep: 'Step 7',
        shell: 'Exchange Online PowerShell',
        command:
          `New-IntraOrganizationConnector -Name '${ONLINE_CONNECTOR}' ` +
          `-DiscoveryEndpoint 'https://autodiscover.${inputs.domain}/autodiscover/autodiscover.svc' ` +
          `-TargetAddressDomains '${inputs.domain}'`,
      },
    ];
  },
};

/** Per Microsoft cloud: the hosts whose auth metadata the tenant's auth servers point at, and Exchange Online's hosts. */
import type { Cloud } from './state';

export interface CloudEndpoints {
  /** Host of the ACS (MicrosoftACS) metadata URL `https://<host>/<tenant>/metadata/json/1`. */
  readonly acsMetadataHost: string;
  /** Host of the evoSTS (AzureAD) metadata URL `https://<host>/<tenant>/federationmetadata/2007-06/federationmetadata.xml`. */
  readonly evoStsMetadataHost: string;
  /** Other hosts that answer the same metadata paths. */
  readonly otherMetadataHosts: readonly string[];
  /** Exchange Online's hosts (Test-OAuthConnectivity's Exchange Online targets). */
  readonly exchangeOnlineHosts: readonly string[];
  /** The autodiscover endpoint the wizard gives the on-premises intra-organization connector. */
  readonly discoveryEndpoint: string;
}

/**
 * Metadata hosts from "Configure OAuth authentication between Exchange and Exchange Online organizations" (step 1
 * and its GCC High/DoD note); Exchange Online hosts from CSS-Exchange's Get-CloudServiceEndpoint. The government
 * clouds' discovery endpoints are inferred from the Global one.
 */
export const CLOUD_ENDPOINTS: Readonly<Record<Cloud, CloudEndpoints>> = {
  Global: {
    acsMetadataHost: 'accounts.accesscontrol.windows.net',
    evoStsMetadataHost: 'login.windows.net',
    otherMetadataHosts: ['login.microsoftonline.com'],
    exchangeOnlineHosts: ['outlook.office365.com', 'outlook.office.com'],
    discoveryEndpoint: 'https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc',
  },
  USGovernmentL4: {
    acsMetadataHost: 'login.microsoftonline.us',
    evoStsMetadataHost: 'login.microsoftonline.us',
    otherMetadataHosts: [],
    exchangeOnlineHosts: ['outlook.office365.us'],
    discoveryEndpoint: 'https://autodiscover-s.office365.us/autodiscover/autodiscover.svc',
  },
  USGovernmentL5: {
    acsMetadataHost: 'login.microsoftonline.us',
    evoStsMetadataHost: 'login.microsoftonline.us',
    otherMetadataHosts: [],
    exchangeOnlineHosts: ['outlook-dod.office365.us'],
    discoveryEndpoint: 'https://autodiscover-s-dod.office365.us/autodiscover/autodiscover.svc',
  },
};

/** The ACS metadata URL for a tenant name (GUID or domain) in `cloud`. */
export function acsMetadataUrl(cloud: Cloud, tenant: string): string {
  return `https://${CLOUD_ENDPOINTS[cloud].acsMetadataHost}/${tenant}/metadata/json/1`;
}

/** The evoSTS metadata URL for a tenant name (GUID or domain) in `cloud`. */
export function evoStsMetadataUrl(cloud: Cloud, tenant: string): string {
  return `https://${CLOUD_ENDPOINTS[cloud].evoStsMetadataHost}/${tenant}/federationmetadata/2007-06/federationmetadata.xml`;
}

/** The Exchange↔Exchange Online OAuth prerequisite (seeds' step 1), with exactly what is missing and how to add it. */
import { renderCommand } from '../exchange/render';
import { APP_IDS } from '../runbooks/app-ids';
import type { RunbookInputs } from '../runbooks/types';
import type { OrgProbe } from './probe';
import type { Check } from './types';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const lower = (value: unknown) => str(value).toLowerCase();

/** EvoSts (AzureAD) or ACS auth server for the tenant realm, an intra-organization connector, the Exchange Online partner app. */
export function hybridOAuthCheck(id: string, title: string, probe: OrgProbe, inputs: RunbookInputs): Check {
  const dc: Record<string, string> = inputs.dc ? { DomainController: inputs.dc } : {};
  const missing: string[] = [];
  const fixes: string[] = [];
  const servers = probe.authServers.rows.filter((row) => row.Enabled !== false);
  const cloud = servers.filter((row) => ['azuread', 'microsoftacs'].includes(lower(row.Type)));
  const tenant = inputs.tenantId;
  const forTenant = tenant ? cloud.filter((row) => lower(row.Realm) === tenant) : cloud;
  if (probe.authServers.error)
    missing.push(`the auth servers could not be read (${probe.authServers.error})`);
  else if (cloud.length === 0) {
    missing.push('an enabled EvoSts (AzureAD) or ACS (MicrosoftACS) auth server');
  } else if (forTenant.length === 0) {
    const realms = [...new Set(cloud.map((row) => str(row.Realm)))].join(', ');
    missing.push(`an EvoSts or ACS auth server whose realm is the tenant ${tenant} (found realm ${realms})`);
  }
  if (missing.length > 0 && inputs.domain) {
    fixes.push(
      renderCommand({
        cmdlet: 'New-AuthServer',
        params: {
          Name: `EvoSts - ${tenant ?? inputs.domain}`,
          AuthMetadataUrl: `https://login.windows.net/${inputs.domain}/federationmetadata/2007-06/federationmetadata.xml`,
          Type: 'AzureAD',
          ...dc,
        },
      }),
    );
  }
  const connectors = probe.connectors.rows.filter((row) => row.Enabled !== false);
  if (probe.connectors.error)
    missing.push(`the intra-organization connectors could not be read (${probe.connectors.error})`);
  else if (connectors.length === 0) {
    missing.push('an enabled intra-organization connector to Exchange Online');
    fixes.push(
      'Run the Hybrid Configuration Wizard (Modern/Full hybrid) to create the intra-organization connector.',
    );
  }
  const exchangeOnline = probe.partnerApplications.rows.find(
    (row) => lower(row.ApplicationIdentifier) === APP_IDS.exchangeOnline && str(row.Realm) === '',
  );
  if (!exchangeOnline)
    missing.push(`the Exchange Online partner application (${APP_IDS.exchangeOnline}, empty realm)`);
  else if (exchangeOnline.Enabled !== true) {
    missing.push(`the partner application ${str(exchangeOnline.Name)} (${APP_IDS.exchangeOnline}) enabled`);
    fixes.push(
      renderCommand({
        cmdlet: 'Set-PartnerApplication',
        params: { Identity: str(exchangeOnline.Name), Enabled: true, ...dc },
      }),
    );
  }
  const ok = missing.length === 0;
  return {
    id,
    title,
    ok,
    detail: ok
      ? `Auth server ${str(forTenant[0]?.Name)} (${str(forTenant[0]?.Type)}), intra-organization connector ${str(connectors[0]?.Name)} and the Exchange Online partner application are in place.`
      : `Missing: ${missing.join('; ')}. Configure OAuth between Exchange and Exchange Online first.`,
    fix: ok ? '' : fixes.join('\n'),
    fixRunbook: null,
    alertBy: 'drift',
  };
}

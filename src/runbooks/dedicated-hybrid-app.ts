/**
 * "Deploy dedicated Exchange hybrid app": the Entra application `ExchangeServerApp-<organization GUID>` Exchange
 * Server gets its tokens as, instead of the shared Exchange Online service principal (blocked for EWS since
 * 2025-10-31), as ConfigureExchangeHybridApplication.ps1 sets it up.
 */
import { DEDICATED_HYBRID_APP } from './articles';
import type { Runbook } from './types';

/** The setting override's name in the article and the script. */
export const HYBRID_APP_OVERRIDE_NAME = 'EnableExchangeHybrid3PAppFeature';

/** Shown on the consent step: the second admin's approval is the tenant-wide admin consent. */
export const HYBRID_APP_CONSENT =
  "Approving this plan is the tenant-wide admin consent: it grants the dedicated application Exchange Online's " +
  'full_access_as_app application permission (Use Exchange Web Services with full access to all mailboxes).';

export const dedicatedHybridApp: Runbook = {
  name: 'dedicated-hybrid-app',
  title: 'Dedicated Exchange hybrid application (free/busy, MailTips, photos since 2025-10-31)',
  source: 'Deploy dedicated Exchange hybrid app (ConfigureExchangeHybridApplication.ps1)',
  exchangeVersions: 'Exchange Server 2016 CU23, 2019 CU14/CU15 with the April 2025 HU, Subscription Edition',
  requires: ['dc', 'tenantId'],
  article: DEDICATED_HYBRID_APP,
  notes: [
    'Needs hybrid OAuth (plan hybrid-oauth): the evoSTS auth server, the Exchange Online partner application and an intra-organization connector.',
    HYBRID_APP_CONSENT,
    'After it verifies, plan shared-sp-cleanup to take the Exchange certificate off the shared Exchange Online service principal.',
  ],
  steps: () => [
    {
      kind: 'exchangeBuilds',
      id: 'exchange-builds',
      title: 'Every Exchange server runs a build with the dedicated hybrid application',
      seedStep: 'Prerequisites',
    },
    {
      kind: 'hybridApplication',
      part: 'application',
      id: 'hybrid-application',
      title: 'Application ExchangeServerApp-<organization GUID> (single tenant)',
      seedStep: 'Create the application',
    },
    {
      kind: 'hybridApplication',
      part: 'servicePrincipal',
      id: 'hybrid-application-principal',
      title: "The application's service principal",
      seedStep: 'Create the application',
    },
    {
      kind: 'hybridApplication',
      part: 'permission',
      id: 'hybrid-application-permission',
      title: 'Application permission full_access_as_app on Office 365 Exchange Online',
      seedStep: 'API permissions',
    },
    {
      kind: 'hybridApplication',
      part: 'consent',
      id: 'hybrid-application-consent',
      title: 'Admin consent for full_access_as_app (app role assignment)',
      seedStep: 'Grant admin consent',
      warnings: [HYBRID_APP_CONSENT],
    },
    {
      kind: 'hybridApplication',
      part: 'keys',
      id: 'hybrid-application-keys',
      title: 'Current and next auth certificate on the application',
      seedStep: 'Upload the auth certificate',
    },
    {
      kind: 'hybridAppAuthServer',
      id: 'hybrid-app-auth-server',
      title:
        'The evoSTS auth server names the application (Set-AuthServer -ApplicationIdentifier -DomainName)',
      seedStep: 'Configure the auth server',
    },
    {
      kind: 'hybridAppOverride',
      id: 'hybrid-app-override',
      title: `Setting override ${HYBRID_APP_OVERRIDE_NAME}, refreshed on every Mailbox server`,
      seedStep: 'Enable the feature',
      name: HYBRID_APP_OVERRIDE_NAME,
      reason: 'Created by hybridops: dedicated Exchange hybrid application',
    },
  ],
};

/**
 * The clean-up the dedicated hybrid application article calls "service principal clean-up mode": the Exchange auth
 * certificates' keys taken off the shared Office 365 Exchange Online service principal. Only once every server
 * runs a build with the dedicated application and the application is fully in place: a server still on the shared
 * principal would lose hybrid free/busy, MailTips and photos.
 */
import { APP_IDS } from './app-ids';
import { SHARED_SP_CLEANUP } from './articles';
import type { Runbook } from './types';

export const SHARED_SP_CLEANUP_CAUTION =
  'Servers that do not run a build with the dedicated Exchange hybrid application end up in a broken hybrid state ' +
  'once the Exchange certificate leaves the shared Exchange Online service principal. Re-running the Hybrid ' +
  'Configuration Wizard puts it back: plan this runbook again after each run of the wizard.';

export const sharedSpCleanup: Runbook = {
  name: 'shared-sp-cleanup',
  title: 'Exchange certificate keys off the shared Exchange Online service principal',
  source: 'Deploy dedicated Exchange hybrid app: service principal clean-up mode',
  exchangeVersions: 'Exchange Server 2016 CU23, 2019 CU14/CU15 with the April 2025 HU, Subscription Edition',
  requires: ['dc', 'tenantId'],
  article: SHARED_SP_CLEANUP,
  caution: SHARED_SP_CLEANUP_CAUTION,
  notes: [
    'Refused unless every Exchange server runs a build with the dedicated hybrid application and plan dedicated-hybrid-app has nothing left to do.',
    "Only the keys of this organization's Exchange certificates are removed; any other key on the service principal stays.",
  ],
  steps: () => [
    {
      kind: 'sharedPrincipalCleanup',
      id: 'shared-principal-cleanup',
      title: `Exchange certificate keys removed from the Exchange Online service principal (${APP_IDS.exchangeOnline})`,
      seedStep: 'Service principal clean-up mode',
      appId: APP_IDS.exchangeOnline,
    },
  ],
};

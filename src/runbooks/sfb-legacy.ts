/** Seed 003: the 2017 procedure for Skype for Business Online ↔ Exchange 2013/2016 (ACS auth server, SPN). */
import { APP_IDS } from './app-ids';
import { SEED_INTEGRATION } from './articles';
import { applicationAccountSteps, applicationRoleAssignmentSteps, sfbOnlineKeySteps } from './steps';
import type { Runbook } from './types';

const ACCOUNT = 'SfBOnline-ApplicationAccount';

export const sfbLegacy: Runbook = {
  name: 'sfb-legacy',
  title: 'Skype for Business Online ↔ Exchange 2013/2016 (legacy 2017 procedure)',
  source: 'Configure OAuth between Skype for Business Online and Exchange on premises (seed 003)',
  exchangeVersions: 'Exchange Server 2013, 2016',
  requires: ['domain', 'dc'],
  article: SEED_INTEGRATION,
  notes: [
    'The seed uploads the key and registers the SPN with the retired MSOnline cmdlets; hybridops does both through Microsoft Graph.',
  ],
  steps: (inputs) => [
    {
      kind: 'authServer',
      id: 'auth-server',
      title: 'Authorization server WindowsAzureACS for Skype for Business Online',
      seedStep: 'Step 1',
      name: 'WindowsAzureACS',
      authMetadataUrl: `https://accounts.accesscontrol.windows.net/${inputs.domain}/metadata/json/1`,
    },
    {
      kind: 'enablePartnerApplication',
      id: 'enable-exchange-online',
      title: 'Partner application for 00000002-0000-0ff1-ce00-000000000000 (empty realm) enabled',
      seedStep: 'Step 2',
      applicationIdentifier: APP_IDS.exchangeOnline,
      realm: '',
    },
    ...applicationAccountSteps(
      ACCOUNT,
      `${ACCOUNT}@${inputs.domain}`,
      'the Skype for Business Online partner application',
      'Step 3',
    ),
    ...applicationRoleAssignmentSteps(ACCOUNT, 'Step 3'),
    {
      kind: 'partnerApplication',
      id: 'partner-sfbonline',
      title: 'Partner application SfBOnline (Skype for Business Online)',
      seedStep: 'Step 4',
      name: 'SfBOnline',
      applicationIdentifier: APP_IDS.skypeForBusinessOnline,
      linkedAccount: ACCOUNT,
    },
    ...sfbOnlineKeySteps('Step 5', 'Step 6', [
      'The seed uses the retired MSOnline module (New-MsolServicePrincipalCredential); this step uses Microsoft Graph.',
    ]),
    {
      kind: 'servicePrincipalName',
      id: 'register-spn',
      title: `Hostname authority 00000002-0000-0ff1-ce00-000000000000/*.${inputs.domain} registered`,
      seedStep: 'Step 7',
      appId: APP_IDS.exchangeOnline,
      servicePrincipalNames: [`${APP_IDS.exchangeOnline}/*.${inputs.domain}`],
    },
  ],
};

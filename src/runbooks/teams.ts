/** Seed 000: Exchange Server ↔ Microsoft Teams (calendar delegation and Cloud Voicemail). */
import { APP_IDS, APPLICATION_ACCOUNT_WARNING, LEGACY_SFB_REQUIRED_NOTE } from './app-ids';
import { SEED_INTEGRATION } from './articles';
import { applicationAccountSteps, exchangeOnlineOAuthPrerequisite, getDelegateOnlyRoleSteps } from './steps';
import type { Runbook } from './types';

const ACCOUNT = 'TeamsScheduler';
const ROLE = 'TeamsSchedulerRole';

export const teams: Runbook = {
  name: 'teams',
  title: 'Exchange Server ↔ Microsoft Teams (calendar delegation, Cloud Voicemail)',
  source: 'Configure integration between Exchange Server and Microsoft Teams (seed 000)',
  exchangeVersions: 'Exchange Server 2016, 2019, Subscription Edition',
  requires: ['domain', 'dc'],
  article: SEED_INTEGRATION,
  steps: (inputs) => [
    exchangeOnlineOAuthPrerequisite(),
    ...applicationAccountSteps(
      ACCOUNT,
      `TeamsScheduler-ApplicationAccount@${inputs.domain}`,
      'the Teams Calendar Scheduler Service',
      'Step 2',
      {
        switch: inputs.applicationAccount,
        warnings: inputs.applicationAccount ? [APPLICATION_ACCOUNT_WARNING] : [],
      },
    ),
    ...getDelegateOnlyRoleSteps(ROLE, ACCOUNT, 'Step 2'),
    {
      kind: 'partnerApplication',
      id: 'partner-sfbonline',
      title: 'Partner application SfBOnline (legacy Skype for Business Online)',
      seedStep: 'Step 3',
      name: 'SfBOnline',
      applicationIdentifier: APP_IDS.skypeForBusinessOnline,
      linkedAccount: ACCOUNT,
      warnings: [LEGACY_SFB_REQUIRED_NOTE],
    },
    {
      kind: 'partnerApplication',
      id: 'partner-teamsscheduler',
      title: 'Partner application TeamsScheduler (Teams Calendar Scheduler Service)',
      seedStep: 'Step 4',
      name: 'TeamsScheduler',
      applicationIdentifier: APP_IDS.teamsScheduler,
      linkedAccount: ACCOUNT,
    },
    {
      kind: 'partnerApplication',
      id: 'partner-cloudvoicemail',
      title: 'Partner application CloudVoicemail (Cloud Voicemail)',
      seedStep: 'Step 5',
      name: 'CloudVoicemail',
      applicationIdentifier: APP_IDS.cloudVoicemail,
      linkedAccount: null,
    },
    {
      kind: 'exportAuthCertificate',
      id: 'export-auth-certificate',
      title: 'Export the Exchange Server auth certificate',
      seedStep: 'Step 6',
    },
    {
      kind: 'uploadAuthCertificate',
      id: 'upload-cloudvoicemail',
      title: 'Auth certificate key on the Cloud Voicemail service principal',
      seedStep: 'Step 7',
      appId: APP_IDS.cloudVoicemail,
      appName: 'Cloud Voicemail',
    },
    {
      kind: 'uploadAuthCertificate',
      id: 'upload-teamsscheduler',
      title: 'Auth certificate key on the Teams Calendar Scheduler service principal',
      seedStep: 'Step 7',
      appId: APP_IDS.teamsScheduler,
      appName: 'Teams Calendar Scheduler',
    },
    {
      kind: 'uploadAuthCertificate',
      id: 'upload-sfbonline',
      title: 'Auth certificate key on the Skype for Business Online service principal',
      seedStep: 'Step 7',
      appId: APP_IDS.skypeForBusinessOnline,
      appName: 'Skype for Business Online',
    },
  ],
};

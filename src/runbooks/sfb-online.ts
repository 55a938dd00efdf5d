/** Seed 001: Exchange Server ↔ Skype for Business Online, current text (role TeamsApp with GetDelegate only). */
import { APP_IDS, LEGACY_SFB_REQUIRED_NOTE } from './app-ids';
import { SEED_INTEGRATION } from './articles';
import {
  applicationAccountSteps,
  exchangeOnlineOAuthPrerequisite,
  getDelegateOnlyRoleSteps,
  sfbOnlineKeySteps,
} from './steps';
import type { Runbook } from './types';

const ACCOUNT = 'SfBOnline-ApplicationAccount';

export const sfbOnline: Runbook = {
  name: 'sfb-online',
  title: 'Exchange Server ↔ Skype for Business Online',
  source: 'Configure integration between Exchange Server and Skype for Business Online (seed 001)',
  exchangeVersions: 'Exchange Server 2013 through 2019',
  requires: ['domain', 'dc'],
  article: SEED_INTEGRATION,
  steps: (inputs) => [
    exchangeOnlineOAuthPrerequisite(),
    ...applicationAccountSteps(
      ACCOUNT,
      `${ACCOUNT}@${inputs.domain}`,
      'the Skype for Business Online partner application',
      'Step 2',
    ),
    ...getDelegateOnlyRoleSteps('TeamsApp', ACCOUNT, 'Step 2'),
    {
      kind: 'partnerApplication',
      id: 'partner-sfbonline',
      title: 'Partner application SfBOnline (Skype for Business Online)',
      seedStep: 'Step 3',
      name: 'SfBOnline',
      applicationIdentifier: APP_IDS.skypeForBusinessOnline,
      linkedAccount: ACCOUNT,
      warnings: [LEGACY_SFB_REQUIRED_NOTE],
    },
    ...sfbOnlineKeySteps('Step 4', 'Step 5'),
  ],
};

/** Seed 002: the 2019 text of Exchange Server ↔ Skype for Business Online (UserApplication + ArchiveApplication). */
import { APP_IDS, LEGACY_SFB_REQUIRED_NOTE } from './app-ids';
import { SEED_INTEGRATION } from './articles';
import {
  applicationAccountSteps,
  applicationRoleAssignmentSteps,
  exchangeOnlineOAuthPrerequisite,
} from './steps';
import type { Runbook } from './types';

const ACCOUNT = 'O365-ApplicationAccount';

export const sfbOnline2019: Runbook = {
  name: 'sfb-online-2019',
  title: 'Exchange Server ↔ Skype for Business Online or Teams (2019 text)',
  source:
    'Configure Integration between Skype for Business Online or Microsoft Teams and Exchange Server (seed 002)',
  exchangeVersions: 'Exchange Server 2013 through 2019',
  requires: ['domain', 'dc'],
  article: SEED_INTEGRATION,
  notes: [
    'This text uploads no certificate: it defers to the Exchange↔Exchange Online OAuth article. ' +
      'The sfb-online runbook also puts the auth certificate on the Skype for Business Online service principal.',
  ],
  steps: (inputs) => [
    exchangeOnlineOAuthPrerequisite(),
    ...applicationAccountSteps(
      ACCOUNT,
      `${ACCOUNT}@${inputs.domain}`,
      'the Skype for Business Online or Teams partner application',
      'Step 2',
    ),
    ...applicationRoleAssignmentSteps(ACCOUNT, 'Step 2'),
    {
      kind: 'partnerApplication',
      id: 'partner-sfbonline',
      title: 'Partner application SfBOnline (Skype for Business Online or Teams)',
      seedStep: 'Step 3',
      name: 'SfBOnline',
      applicationIdentifier: APP_IDS.skypeForBusinessOnline,
      linkedAccount: ACCOUNT,
      warnings: [LEGACY_SFB_REQUIRED_NOTE],
    },
  ],
};

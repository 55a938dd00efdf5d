/** Seed 002: the 2019 text of Exchange Server ↔ Skype for Business Online (UserApplication + ArchiveApplication). */
import { APP_IDS, LEGACY_SFB_REQUIRED_NOTE, SHARED_EXCHANGE_SP_WARNING } from './app-ids';
import type { Runbook } from './types';

const ACCOUNT = 'O365-ApplicationAccount';

export const sfbOnline2019: Runbook = {
  name: 'sfb-online-2019',
  title: 'Exchange Server ↔ Skype for Business Online or Teams (2019 text)',
  source:
    'Configure Integration between Skype for Business Online or Microsoft Teams and Exchange Server (seed 002)',
  exchangeVersions: 'Exchange Server 2013 through 2019',
  requires: ['domain', 'dc'],
  notes: [
    'This text uploads no certificate: it defers to the Exchange↔Exchange Online OAuth article. ' +
      'The sfb-online runbook also puts the auth certificate on the Skype for Business Online service principal.',
  ],
  steps: (inputs) => [
    {
      kind: 'hybridOAuthPrerequisite',
      id: 'exchange-online-oauth',
      title: 'OAuth between Exchange Server and Exchange Online is configured',
      seedStep: 'Step 1',
      warnings: [SHARED_EXCHANGE_SP_WARNING],
    },
    {
      kind: 'mailUser',
      id: 'mail-user',
      title: `Mail user ${ACCOUNT} for the Skype for Business Online or Teams partner application`,
      seedStep: 'Step 2',
      name: ACCOUNT,
      externalEmailAddress: `${ACCOUNT}@${inputs.domain}`,
      applicationAccount: false,
    },
    {
      kind: 'mailUserHidden',
      id: 'mail-user-hidden',
      title: `${ACCOUNT} hidden from address lists`,
      seedStep: 'Step 2',
      name: ACCOUNT,
    },
    {
      kind: 'roleAssignment',
      id: 'role-assignment-userapplication',
      title: `UserApplication assigned to ${ACCOUNT}`,
      seedStep: 'Step 2',
      role: 'UserApplication',
      user: ACCOUNT,
    },
    {
      kind: 'roleAssignment',
      id: 'role-assignment-archiveapplication',
      title: `ArchiveApplication assigned to ${ACCOUNT}`,
      seedStep: 'Step 2',
      role: 'ArchiveApplication',
      user: ACCOUNT,
    },
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

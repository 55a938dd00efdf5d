/** Seed 001: Exchange Server ↔ Skype for Business Online, current text (role TeamsApp with GetDelegate only). */
import { APP_IDS, LEGACY_SFB_REQUIRED_NOTE, SHARED_EXCHANGE_SP_WARNING } from './app-ids';
import type { Runbook } from './types';

const ACCOUNT = 'SfBOnline-ApplicationAccount';
const ROLE = 'TeamsApp';

export const sfbOnline: Runbook = {
  name: 'sfb-online',
  title: 'Exchange Server ↔ Skype for Business Online',
  source: 'Configure integration between Exchange Server and Skype for Business Online (seed 001)',
  exchangeVersions: 'Exchange Server 2013 through 2019',
  requires: ['domain', 'dc'],
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
      title: `Mail user ${ACCOUNT} for the Skype for Business Online partner application`,
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
      kind: 'managementRole',
      id: 'role',
      title: `Management role ${ROLE} based on UserApplication`,
      seedStep: 'Step 2',
      name: ROLE,
      parent: 'UserApplication',
    },
    {
      kind: 'roleEntriesOnly',
      id: 'role-entries',
      title: `${ROLE} keeps only GetDelegate`,
      seedStep: 'Step 2',
      role: ROLE,
      parent: 'UserApplication',
      keep: ['GetDelegate'],
    },
    {
      kind: 'roleAssignment',
      id: 'role-assignment',
      title: `${ROLE} assigned to ${ACCOUNT}`,
      seedStep: 'Step 2',
      role: ROLE,
      user: ACCOUNT,
    },
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
    {
      kind: 'exportAuthCertificate',
      id: 'export-auth-certificate',
      title: 'Export the on-premises authorization certificate',
      seedStep: 'Step 4',
    },
    {
      kind: 'uploadAuthCertificate',
      id: 'upload-sfbonline',
      title: 'Auth certificate key on the Skype for Business Online service principal',
      seedStep: 'Step 5',
      appId: APP_IDS.skypeForBusinessOnline,
      appName: 'Skype for Business Online',
    },
  ],
};

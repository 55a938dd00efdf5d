/** Seed 000's removal section: delete partner applications that use the legacy Skype for Business Online app. */
import { APP_IDS, LEGACY_SFB_CAUTION } from './app-ids';
import { SEED_INTEGRATION } from './articles';
import type { Runbook } from './types';

export const removeLegacySfb: Runbook = {
  name: 'remove-legacy-sfb',
  title: 'Remove the legacy Skype for Business Online partner application',
  source: 'How to disable the legacy Skype for Business Online integration (seed 000)',
  exchangeVersions: 'Exchange Server 2016, 2019, Subscription Edition',
  requires: ['dc'],
  article: SEED_INTEGRATION,
  caution: LEGACY_SFB_CAUTION,
  steps: () => [
    {
      kind: 'removePartnerApplication',
      id: 'remove-legacy-sfb',
      title: 'Enabled partner applications for 00000004-0000-0ff1-ce00-000000000000 removed',
      seedStep: 'How to disable the legacy Skype for Business Online integration',
      applicationIdentifier: APP_IDS.skypeForBusinessOnline,
      warnings: [LEGACY_SFB_CAUTION],
    },
  ],
};

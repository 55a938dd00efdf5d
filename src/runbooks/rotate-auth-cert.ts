/** Rotation of the Exchange auth certificate, and its key on every service principal the integration uses. */
import { APP_IDS } from './app-ids';
import { MAINTAIN_AUTH_CERTIFICATE, SEED_INTEGRATION } from './articles';
import type { Runbook } from './types';

/** Renewal starts this many days before the current certificate expires (the watch's first alert threshold). */
export const RENEW_WITHIN_DAYS = 60;
const AUTH_CERTIFICATE_NAME = 'Microsoft Exchange Server Auth Certificate';

const UPLOADS = [
  { appId: APP_IDS.cloudVoicemail, appName: 'Cloud Voicemail', id: 'upload-cloudvoicemail' },
  { appId: APP_IDS.teamsScheduler, appName: 'Teams Calendar Scheduler', id: 'upload-teamsscheduler' },
  { appId: APP_IDS.skypeForBusinessOnline, appName: 'Skype for Business Online', id: 'upload-sfbonline' },
] as const;

export const rotateAuthCert: Runbook = {
  name: 'rotate-auth-cert',
  title: 'Rotate the Exchange Server auth certificate and its key in Entra',
  source: 'Maintain the Exchange Server auth certificate; the upload of seed 000 step 7',
  exchangeVersions: 'Exchange Server 2013 through Subscription Edition',
  requires: ['dc'],
  article: MAINTAIN_AUTH_CERTIFICATE,
  notes: [
    'The new key reaches every service principal before the certificate is published, so OAuth never sees a certificate Entra does not know.',
    'Publishing waits for the effective date and clearing the previous certificate waits for its expiry: plan this runbook again when the watch says they are due.',
    'Only service principals whose partner application exists on Exchange are updated; 00000002 (Exchange Online) never is.',
  ],
  steps: () => [
    {
      kind: 'newAuthCertificate',
      id: 'new-auth-certificate',
      title: 'New auth certificate when the current one is due for renewal',
      seedStep: 'Renew the auth certificate',
      subjectName: `CN=${AUTH_CERTIFICATE_NAME}`,
      friendlyName: AUTH_CERTIFICATE_NAME,
      renewWithinDays: RENEW_WITHIN_DAYS,
    },
    {
      kind: 'stageAuthCertificate',
      id: 'stage-auth-certificate',
      title: 'New certificate staged (Set-AuthConfig -NewCertificateThumbprint/-NewCertificateEffectiveDate)',
      seedStep: 'Renew the auth certificate',
      renewWithinDays: RENEW_WITHIN_DAYS,
      leadHours: 48,
    },
    ...UPLOADS.map((upload) => ({
      kind: 'uploadRotatedAuthCertificate' as const,
      id: upload.id,
      title: `New certificate's key on the ${upload.appName} service principal`,
      seedStep: 'Step 7',
      article: SEED_INTEGRATION,
      appId: upload.appId,
      appName: upload.appName,
      renewWithinDays: RENEW_WITHIN_DAYS,
    })),
    {
      kind: 'publishAuthCertificate',
      id: 'publish-auth-certificate',
      title: 'Staged certificate published once effective (Set-AuthConfig -PublishCertificate)',
      seedStep: 'Renew the auth certificate',
    },
    {
      kind: 'clearPreviousAuthCertificate',
      id: 'clear-previous-auth-certificate',
      title: 'Previous certificate cleared once expired (Set-AuthConfig -ClearPreviousCertificate)',
      seedStep: 'Renew the auth certificate',
    },
  ],
};

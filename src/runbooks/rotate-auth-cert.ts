/**
 * Rotation of the Exchange auth certificate as Microsoft documents it ("Maintain the Exchange Server OAuth
 * certificate", MonitorExchangeAuthCertificate.ps1), and its key on every service principal the integration uses
 * and on the dedicated Exchange hybrid application.
 */
import { APP_IDS } from './app-ids';
import {
  DEDICATED_HYBRID_APP,
  EXPIRED_AUTH_CERTIFICATE,
  MAINTAIN_AUTH_CERTIFICATE,
  SEED_INTEGRATION,
} from './articles';
import type { Runbook } from './types';

/** Renewal starts this many days before the current certificate expires (the watch's first alert threshold). */
export const RENEW_WITHIN_DAYS = 60;
/** Days from staging to the effective date, as MonitorExchangeAuthCertificate.ps1 stages a renewed certificate. */
export const STAGING_LEAD_DAYS = 30;
const AUTH_CERTIFICATE_NAME = 'Microsoft Exchange Server Auth Certificate';

const UPLOADS = [
  { appId: APP_IDS.cloudVoicemail, appName: 'Cloud Voicemail', id: 'upload-cloudvoicemail' },
  { appId: APP_IDS.teamsScheduler, appName: 'Teams Calendar Scheduler', id: 'upload-teamsscheduler' },
  { appId: APP_IDS.skypeForBusinessOnline, appName: 'Skype for Business Online', id: 'upload-sfbonline' },
] as const;

export const rotateAuthCert: Runbook = {
  name: 'rotate-auth-cert',
  title: 'Rotate the Exchange Server auth certificate and its key in Entra',
  source:
    'Maintain the Exchange Server OAuth certificate (MonitorExchangeAuthCertificate.ps1); the upload of seed 000 step 7; the dedicated hybrid application',
  exchangeVersions: 'Exchange Server 2013 through Subscription Edition',
  requires: ['dc'],
  article: MAINTAIN_AUTH_CERTIFICATE,
  notes: [
    'The new key reaches every service principal and the dedicated hybrid application before the certificate takes effect, so OAuth never sees a certificate Entra does not know.',
    "The AuthAdmin servicelet publishes the staged certificate at its first run after the effective date (every 12 hours); hybridops publishes at once only when the current certificate is already missing or expired, as Microsoft's KB 2617816 does.",
    'Only service principals whose partner application exists on Exchange are updated; 00000002 (Exchange Online) never is.',
    'Microsoft recommends running the Hybrid Configuration Wizard after the active certificate is replaced; this runbook already puts the key on the dedicated hybrid application.',
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
      article: MAINTAIN_AUTH_CERTIFICATE,
    },
    {
      kind: 'stageAuthCertificate',
      id: 'stage-auth-certificate',
      title: 'New certificate staged (Set-AuthConfig -NewCertificateThumbprint/-NewCertificateEffectiveDate)',
      seedStep: 'Renew the auth certificate',
      renewWithinDays: RENEW_WITHIN_DAYS,
      leadDays: STAGING_LEAD_DAYS,
      article: MAINTAIN_AUTH_CERTIFICATE,
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
      kind: 'uploadRotatedHybridAppCertificate',
      id: 'upload-hybrid-app',
      title: "New certificate's key on the dedicated Exchange hybrid application",
      seedStep: 'Dedicated hybrid app: certificate',
      renewWithinDays: RENEW_WITHIN_DAYS,
      article: DEDICATED_HYBRID_APP,
    },
    {
      kind: 'publishAuthCertificate',
      id: 'publish-auth-certificate',
      title:
        'Certificate published at once when the current one has expired (Set-AuthConfig -PublishCertificate)',
      seedStep: 'Renew the auth certificate',
      renewWithinDays: RENEW_WITHIN_DAYS,
      article: EXPIRED_AUTH_CERTIFICATE,
    },
    {
      kind: 'clearPreviousAuthCertificate',
      id: 'clear-previous-auth-certificate',
      title: 'Previous certificate cleared once expired (Set-AuthConfig -ClearPreviousCertificate)',
      seedStep: 'Renew the auth certificate',
      renewWithinDays: RENEW_WITHIN_DAYS,
      article: EXPIRED_AUTH_CERTIFICATE,
    },
  ],
};

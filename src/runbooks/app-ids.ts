/** First-party application ids the seeds name. */
export const APP_IDS = {
  exchangeOnline: '00000002-0000-0ff1-ce00-000000000000',
  skypeForBusinessOnline: '00000004-0000-0ff1-ce00-000000000000',
  teamsScheduler: '7557eb47-c689-4224-abcf-aef9bd7573df',
  cloudVoicemail: 'db7de2b5-2149-435e-8043-e080dd50afae',
} as const;

/** The caution from seed 000 about the legacy Skype for Business Online application. */
export const LEGACY_SFB_CAUTION =
  "Don't delete the legacy Skype for Business Online Partner Application yet. Removing this first-party " +
  'application will disrupt the functionality of different features such as Out of Office voicemail ' +
  "greetings, which still depend on the legacy first-party application. Microsoft will inform you once it's " +
  'safe to remove this application.';

/** Shown only where a step puts the Exchange auth certificate on the shared Exchange Online service principal. */
export const SHARED_EXCHANGE_SP_WARNING =
  'Outdated: since 2025-10-31 the shared Office 365 Exchange Online service principal (00000002-0000-0ff1-ce00-000000000000) ' +
  'is blocked for EWS calls from Exchange Server hybrid; use the dedicated Exchange hybrid application instead: ' +
  'see plan dedicated-hybrid-app.';

/** Shown where hybrid OAuth is a prerequisite: the on-premises side is still required, the EWS calls need the dedicated app. */
export const DEDICATED_APP_HINT =
  'Since 2025-10-31 the shared Exchange Online service principal is blocked for EWS calls from Exchange Server: ' +
  'free/busy, MailTips and profile photos need the dedicated Exchange hybrid application (see plan ' +
  'dedicated-hybrid-app). The on-premises OAuth configuration checked here is still required.';

/** Shown where a seed uses New-MailUser -ApplicationAccount. */
export const APPLICATION_ACCOUNT_WARNING =
  '-ApplicationAccount is not in the New-MailUser cmdlet reference; an Exchange build that does not know it ' +
  'refuses the command. If that happens, plan again with the application-account option off.';

/** The legacy app's importance, shown on the steps that configure it. */
export const LEGACY_SFB_REQUIRED_NOTE =
  'The legacy Skype for Business Online application is deprecated but still required (Out of Office ' +
  'voicemail greetings depend on it); keep it configured until Microsoft says it is safe to remove.';

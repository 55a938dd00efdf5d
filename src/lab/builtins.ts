/** What a fresh Exchange 2016/2019 org and its Microsoft 365 tenant contain before anyone runs the runbooks. */
import { EXCHANGE_ONLINE_RESOURCE_APP_ID, exchangeOnlineAppRoles } from './exchange-online-roles';
import type { LabServicePrincipal, ManagementRole } from './state';

export const EXCHANGE_ONLINE_APP_ID = EXCHANGE_ONLINE_RESOURCE_APP_ID;
export const SKYPE_ONLINE_APP_ID = '00000004-0000-0ff1-ce00-000000000000';
export const TEAMS_SCHEDULER_APP_ID = '7557eb47-c689-4224-abcf-aef9bd7573df';
export const CLOUD_VOICEMAIL_APP_ID = 'db7de2b5-2149-435e-8043-e080dd50afae';
/** Issuer of ACS metadata (its well-known principal id). */
export const ACS_ISSUER = '00000001-0000-0000-c000-000000000000';

/** FriendlyName Exchange gives its auth certificate. */
export const AUTH_CERT_FRIENDLY_NAME = 'Microsoft Exchange Server Auth Certificate';

/** The built-in partner application Exchange setup creates, and the directory user it is linked to. */
export const EXCHANGE_ONLINE_PARTNER_APP_NAME = 'Exchange Online';
export const EXCHANGE_ONLINE_APP_ACCOUNT = 'Exchange Online-ApplicationAccount';

/**
 * Entries of the built-in application roles. Both roles hold application-permission entries (named after
 * the operations a partner application may perform for a user), not cmdlets.
 *
 * Only `GetDelegate` on UserApplication is confirmed by the published procedure (it is the entry the
 * TeamsSchedulerRole/TeamsApp roles keep). No authoritative full list was found; the other entries below are
 * the EWS delegate and item operations these roles cover and should be replaced by a real server's
 * `Get-ManagementRoleEntry "UserApplication\*"` / `"ArchiveApplication\*"` output when one is available.
 * What matters for rehearsal is that a child role starts with several entries and must be trimmed.
 */
export const BUILT_IN_ROLE_ENTRIES: Readonly<Record<string, readonly string[]>> = {
  UserApplication: [
    'AddDelegate',
    'GetDelegate',
    'GetUserAvailability',
    'GetUserPhoto',
    'RemoveDelegate',
    'UpdateDelegate',
  ],
  ArchiveApplication: ['CreateFolder', 'CreateItem', 'FindFolder', 'GetFolder', 'UploadItems'],
};

/** The built-in roles, as root roles with copies of their entries. */
export function builtInRoles(): ManagementRole[] {
  return Object.entries(BUILT_IN_ROLE_ENTRIES).map(([name, entries]) => ({
    name,
    parent: null,
    builtIn: true,
    entries: [...entries],
  }));
}

interface ServicePrincipalTemplate {
  readonly appId: string;
  readonly displayName: string;
  readonly servicePrincipalNames: readonly string[];
}

/**
 * The first-party service principals the runbooks touch. Display names are the ones Entra shows in a
 * tenant (7557eb47… appears as "Skype for Business" even though Teams' scheduling service uses it).
 */
const SERVICE_PRINCIPALS: readonly ServicePrincipalTemplate[] = [
  {
    appId: EXCHANGE_ONLINE_APP_ID,
    displayName: 'Office 365 Exchange Online',
    servicePrincipalNames: [
      EXCHANGE_ONLINE_APP_ID,
      'https://outlook.office365.com/',
      'https://outlook.office.com/',
      `${EXCHANGE_ONLINE_APP_ID}/outlook.office365.com`,
      `${EXCHANGE_ONLINE_APP_ID}/outlook.office.com`,
      `${EXCHANGE_ONLINE_APP_ID}/*.outlook.com`,
      'outlook.office365.com',
    ],
  },
  {
    appId: SKYPE_ONLINE_APP_ID,
    displayName: 'Skype for Business Online',
    servicePrincipalNames: [
      SKYPE_ONLINE_APP_ID,
      `${SKYPE_ONLINE_APP_ID}/*.online.lync.com`,
      `${SKYPE_ONLINE_APP_ID}/*.infra.lync.com`,
      'https://api.skypeforbusiness.com',
    ],
  },
  {
    appId: TEAMS_SCHEDULER_APP_ID,
    displayName: 'Skype for Business',
    servicePrincipalNames: [
      TEAMS_SCHEDULER_APP_ID,
      'https://scheduler.teams.microsoft.com/',
      'https://api.scheduler.teams.microsoft.com/',
      'https://broadcast.skype.com/',
    ],
  },
  {
    appId: CLOUD_VOICEMAIL_APP_ID,
    // The display name of this first-party app could not be confirmed; the name says what it is for.
    displayName: 'Cloud Voicemail',
    servicePrincipalNames: [CLOUD_VOICEMAIL_APP_ID],
  },
];

/** The four service principals, each with a fresh object id and no keys; Exchange Online's with its app roles. */
export function builtInServicePrincipals(newId: () => string): LabServicePrincipal[] {
  return SERVICE_PRINCIPALS.map((template) => ({
    id: newId(),
    appId: template.appId,
    displayName: template.displayName,
    servicePrincipalNames: [...template.servicePrincipalNames],
    keyCredentials: [],
    tags: [],
    appRoles: template.appId === EXCHANGE_ONLINE_APP_ID ? exchangeOnlineAppRoles() : [],
    accountEnabled: true,
    description: null,
    notes: null,
  }));
}

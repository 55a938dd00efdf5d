/** The application roles the lab's Office 365 Exchange Online service principal defines. */

/** Exchange Online's first-party application id, the resource the dedicated hybrid app asks permissions of. */
export const EXCHANGE_ONLINE_RESOURCE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

/**
 * `full_access_as_app` ("Use Exchange Web Services with full access to all mailboxes"), the application
 * permission ConfigureExchangeHybridApplication.ps1 grants the dedicated hybrid application; its id is the one
 * the script hard-codes (dc890d15-…). Runbooks resolve it by value from appRoles rather than by this id.
 */
export const FULL_ACCESS_AS_APP = {
  id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
  value: 'full_access_as_app',
  displayName: 'Use Exchange Web Services with full access to all mailboxes',
  description:
    'Allows the app to have full access via Exchange Web Services to all mailboxes without a signed-in user.',
  allowedMemberTypes: ['Application'],
  isEnabled: true,
} as const;

/** The roles a fresh lab gives the Exchange Online service principal (only the one the procedures use). */
export function exchangeOnlineAppRoles(): {
  id: string;
  value: string;
  displayName: string;
  description: string;
  allowedMemberTypes: string[];
  isEnabled: boolean;
}[] {
  return [{ ...FULL_ACCESS_AS_APP, allowedMemberTypes: [...FULL_ACCESS_AS_APP.allowedMemberTypes] }];
}

/** The first-party applications whose identifiers appear in the integration's tokens, and the `<appId>@<realm>` forms. */

/** First-party apps seen in Exchange ↔ Teams / Skype for Business Online OAuth traffic. */
export const FIRST_PARTY_APPS: Readonly<Record<string, string>> = {
  '00000004-0000-0ff1-ce00-000000000000': 'Skype for Business Online (legacy first-party app)',
  '7557eb47-c689-4224-abcf-aef9bd7573df': 'Teams Calendar Scheduler Service',
  'db7de2b5-2149-435e-8043-e080dd50afae': 'Cloud Voicemail',
  '00000002-0000-0ff1-ce00-000000000000': 'Exchange (Online or on-premises, as Office 365 Exchange Online)',
  '00000001-0000-0000-c000-000000000000': 'Azure Access Control Service (ACS)',
};

/** An identifier of the form `[/]<appId>[/<host>]@<realm>`. */
export interface AppPrincipal {
  readonly raw: string;
  readonly appId: string;
  readonly host: string | null;
  readonly realm: string;
  readonly leadingSlash: boolean;
  /** The first-party app's name, or null for an app this list does not know. */
  readonly appName: string | null;
}

const PRINCIPAL =
  /^(\/?)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/([^@/\s]+))?@([^@\s]*)$/i;

/** Parses `<appId>@<realm>`, `/<appId>@<realm>` or `<appId>/<host>@<realm>`; null for anything else. */
export function parseAppPrincipal(value: unknown): AppPrincipal | null {
  if (typeof value !== 'string') return null;
  const match = PRINCIPAL.exec(value.trim());
  if (!match) return null;
  const appId = (match[2] ?? '').toLowerCase();
  return {
    raw: value,
    appId,
    host: match[3]?.toLowerCase() ?? null,
    realm: (match[4] ?? '').toLowerCase(),
    leadingSlash: match[1] === '/',
    appName: FIRST_PARTY_APPS[appId] ?? null,
  };
}

/** `appId` as the admin reads it: the name when known. */
export function describeApp(principal: AppPrincipal): string {
  return principal.appName
    ? `${principal.appName} (${principal.appId})`
    : `an app this bot does not know (${principal.appId})`;
}

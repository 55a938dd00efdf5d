/**
 * Whether Test-OAuthConnectivity from the local server succeeds, judged from the whole lab state: the auth
 * certificate on the server, the auth server and partner application, and (end to end, for Exchange Online) the
 * application Exchange gets its token as — the dedicated hybrid application when its setting override is in effect
 * on a build that has the feature, else the shared Office 365 Exchange Online principal, blocked for EWS since
 * 2025-10-31 — with the certificate's key and, for the dedicated app, the full_access_as_app permission.
 */
import { parseExchangeBuild, supportsDedicatedHybridApp } from '../../exchange/builds';
import { EXCHANGE_ONLINE_APP_ID } from '../builtins';
import { CLOUD_ENDPOINTS } from '../clouds';
import { FULL_ACCESS_AS_APP } from '../exchange-online-roles';
import type { AuthServer, ExchangeServer, LabKeyCredential, LabState } from '../state';
import { isExpired } from './auth';
import { sameName } from './names';
import { hybridAppFeatureOn } from './overrides';

/** "As of October 31, 2025, EWS access through the shared service principal is permanently blocked" (Deploy dedicated Exchange hybrid app). */
export const SHARED_PRINCIPAL_EWS_BLOCKED_FROM = new Date('2025-10-31T00:00:00Z');

/** The outcome: log lines for Detail, and the exception that ends a failed call (null on success). */
export interface OAuthVerdict {
  readonly log: readonly string[];
  readonly exception: string | null;
}

const UNAUTHORIZED = 'System.Net.WebException: The remote server returned an error: (401) Unauthorized.';
const FORBIDDEN = 'System.Net.WebException: The remote server returned an error: (403) Forbidden.';

const LEGACY_EXO_HOSTS = /(^|\.)(outlook\.office365\.com|outlook\.office\.com|outlook\.com|office365\.com)$/i;

/** Whether `host` is Exchange Online in any cloud. */
export function isExchangeOnlineHost(host: string): boolean {
  const hosts = Object.values(CLOUD_ENDPOINTS).flatMap((cloud) => cloud.exchangeOnlineHosts);
  return LEGACY_EXO_HOSTS.test(host) || hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

/** Judges one Test-OAuthConnectivity call made on `server`. */
export function judgeOAuth(
  state: LabState,
  server: ExchangeServer | undefined,
  now: Date,
  target: URL,
  service: string,
): OAuthVerdict {
  const exchangeOnline = isExchangeOnlineHost(target.hostname.toLowerCase());
  const problems = onPremisesProblems(state, server, now, exchangeOnline);
  if (problems.length > 0) return { log: problems.map((p) => `Error:${p}`), exception: UNAUTHORIZED };
  if (!exchangeOnline || state.org.exchange.oauthTestScope === 'on-premises') {
    return { log: [`Information:[Lab] ${target.toString()} accepted the token.`], exception: null };
  }
  const linked = server ? hybridAppServer(state, server, now) : undefined;
  return linked?.applicationIdentifier
    ? dedicatedAppVerdict(state, now, linked.applicationIdentifier)
    : sharedPrincipalVerdict(state, now, service);
}

/** What the on-premises org itself lacks: the current certificate on this server, and for Exchange Online its trust. */
function onPremisesProblems(
  state: LabState,
  server: ExchangeServer | undefined,
  now: Date,
  exchangeOnline: boolean,
): string[] {
  const org = state.org;
  const problems: string[] = [];
  const thumbprint = org.authConfig.currentCertificateThumbprint;
  const cert = org.certificates.find((c) => c.thumbprint === thumbprint);
  if (!cert || !server?.certificates.includes(thumbprint)) {
    problems.push(
      `The auth certificate with thumbprint ${thumbprint} referenced by the auth configuration wasn't found on server ${server?.name ?? '(none)'}.`,
    );
  } else if (isExpired(cert, now)) {
    problems.push(
      `The auth certificate with thumbprint ${thumbprint} is not valid at this time (NotAfter ${cert.notAfter}).`,
    );
  } else if (!(thumbprint in org.certificatePrivateKeys)) {
    problems.push(
      `The auth certificate with thumbprint ${thumbprint} has no private key, so tokens can't be signed.`,
    );
  }
  if (!exchangeOnline) return problems;
  // Microsoft's Exchange HealthChecker applies the same test: an enabled evoSTS or ACS auth server, and an
  // enabled partner application for Exchange Online.
  if (!org.authServers.some((s) => s.enabled && (s.type === 'AzureAD' || s.type === 'MicrosoftACS'))) {
    problems.push('No enabled authorization server of type AzureAD (evoSTS) or MicrosoftACS is configured.');
  }
  const exoApp = org.partnerApplications.find((a) =>
    sameName(a.applicationIdentifier, EXCHANGE_ONLINE_APP_ID),
  );
  if (!exoApp)
    problems.push(`No partner application with ApplicationIdentifier ${EXCHANGE_ONLINE_APP_ID} exists.`);
  else if (!exoApp.enabled) {
    problems.push(`The partner application "${exoApp.name}" (${EXCHANGE_ONLINE_APP_ID}) is disabled.`);
  }
  return problems;
}

/** The evoSTS auth server linked to the dedicated app, when the feature is on for this server and its build has it. */
function hybridAppServer(state: LabState, server: ExchangeServer, now: Date): AuthServer | undefined {
  const build = parseExchangeBuild(server.exSetupVersion);
  if (!build || !supportsDedicatedHybridApp(build) || !hybridAppFeatureOn(state, server, now))
    return undefined;
  return state.org.authServers.find(
    (s) =>
      s.enabled &&
      s.type === 'AzureAD' &&
      sameName(s.realm, state.tenant.tenantId) &&
      s.applicationIdentifier !== null,
  );
}

/** Entra's answer to a client assertion signed with a key the application doesn't hold. Secondary source (AADSTS700027). */
function keyProblem(
  keys: readonly LabKeyCredential[],
  thumbprint: string,
  appId: string,
  now: Date,
): string | null {
  const matching = keys.filter((key) => sameName(key.customKeyIdentifier ?? '', thumbprint));
  if (matching.some((key) => Date.parse(key.endDateTime) >= now.getTime())) return null;
  const reason = matching.length > 0 ? 'The key used is expired.' : 'The key was not found.';
  return (
    `AADSTS700027: Client assertion contains an invalid signature. [Reason - ${reason}, Thumbprint of key used by client: '${thumbprint}', ` +
    `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'.]`
  );
}

function dedicatedAppVerdict(state: LabState, now: Date, appId: string): OAuthVerdict {
  const { tenant, org } = state;
  const log = [
    `Information:[Lab] the token is requested as the dedicated Exchange hybrid application ${appId}.`,
  ];
  const app = tenant.applications.find((a) => sameName(a.appId, appId));
  const principal = tenant.servicePrincipals.find((sp) => sameName(sp.appId, appId));
  const problem = !app
    ? `AADSTS700016: Application with identifier '${appId}' was not found in the directory '${tenant.initialDomain}'.`
    : !principal
      ? `AADSTS7000229: The client application ${appId} is missing service principal in the tenant ${tenant.tenantId}.`
      : keyProblem(app.keyCredentials, org.authConfig.currentCertificateThumbprint, appId, now);
  if (problem) return { log: [...log, `Error:${problem}`], exception: UNAUTHORIZED };
  const resource = tenant.servicePrincipals.find((sp) => sp.appId === EXCHANGE_ONLINE_APP_ID);
  const role = resource?.appRoles.find((r) => r.value === FULL_ACCESS_AS_APP.value);
  const granted = tenant.appRoleAssignments.some(
    (a) => a.principalId === principal?.id && a.resourceId === resource?.id && a.appRoleId === role?.id,
  );
  if (!granted) {
    return {
      log: [
        ...log,
        `Error:The token carries no ${FULL_ACCESS_AS_APP.value} role: admin consent was not granted.`,
      ],
      exception: FORBIDDEN,
    };
  }
  return { log: [...log, 'Information:[Lab] Exchange Online accepted the token.'], exception: null };
}

function sharedPrincipalVerdict(state: LabState, now: Date, service: string): OAuthVerdict {
  const shared = state.tenant.servicePrincipals.find((sp) => sp.appId === EXCHANGE_ONLINE_APP_ID);
  const log = [
    `Information:[Lab] the token is requested as the shared Office 365 Exchange Online service principal ${EXCHANGE_ONLINE_APP_ID}.`,
  ];
  const thumbprint = state.org.authConfig.currentCertificateThumbprint;
  const problem = keyProblem(shared?.keyCredentials ?? [], thumbprint, EXCHANGE_ONLINE_APP_ID, now);
  if (problem) return { log: [...log, `Error:${problem}`], exception: UNAUTHORIZED };
  if (sameName(service, 'EWS') && now.getTime() >= SHARED_PRINCIPAL_EWS_BLOCKED_FROM.getTime()) {
    return {
      log: [
        ...log,
        'Error:EWS access through the shared service principal is permanently blocked as of October 31, 2025; use the dedicated Exchange hybrid application.',
      ],
      exception: FORBIDDEN,
    };
  }
  return { log: [...log, 'Information:[Lab] Exchange Online accepted the token.'], exception: null };
}

/**
 * Checks MonitorExchangeAuthCertificate.ps1 and HealthChecker make and the runbook's own don't: the auth
 * certificates on every server, and the dedicated Exchange hybrid application (its setting override, the auth
 * server's ApplicationIdentifier, its keys and its full_access_as_app permission), each with its fix.
 */

import { sameText } from '../core/text';
import { HYBRID_APP_OVERRIDE } from '../exchange/cmdlets-hybrid';
import { renderCommand } from '../exchange/render';
import { APP_IDS } from '../runbooks/app-ids';
import type { HybridAppProbe, ServerCertificate } from './parity-probe';
import type { AuthCertificateFacts, Check, HybridAppFacts } from './types';

type Row = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const strs = (value: unknown): string[] => (Array.isArray(value) ? value.map(str) : []);
const pass = (detail: string) => ({ ok: true, detail, fix: '', fixRunbook: null });

/** "Deploy dedicated Exchange hybrid app": the override's name. */
const OVERRIDE_NAME = 'EnableExchangeHybrid3PAppFeature';

/** The current (and next) auth certificate is on every Mailbox/Client Access server, as MonitorExchangeAuthCertificate checks. */
export function serverCertificatesCheck(
  servers: readonly ServerCertificate[],
  readError: string | null,
): Check {
  const base = {
    id: 'auth-certificate-servers',
    title: 'Auth certificates are on every Exchange server',
    alertBy: 'drift' as const,
  };
  if (readError)
    return {
      ...base,
      ok: false,
      detail: `Get-ExchangeServer failed: ${readError}`,
      fix: '',
      fixRunbook: null,
    };
  const unreachable = servers.filter((entry) => entry.state === 'unreachable');
  const missing = servers.filter((entry) => entry.state === 'missing');
  const names = new Set(servers.map((entry) => entry.server));
  if (missing.length === 0 && unreachable.length === 0)
    return { ...base, ...pass(`Every one of ${names.size} server(s) holds the auth certificate(s).`) };
  const lines = missing.map(
    (entry) => `${entry.which} certificate ${entry.thumbprint} is missing on ${entry.server}`,
  );
  const down = [...new Set(unreachable.map((entry) => entry.server))];
  if (down.length > 0)
    lines.push(
      `${down.length} server(s) were unreachable (${down.join(', ')}), so the certificate could not be validated there`,
    );
  // "Maintain the Exchange Server OAuth certificate": export it from a server that has it, import it on one that hasn't.
  const fix = missing.flatMap((entry) => {
    const source = servers.find((s) => s.thumbprint === entry.thumbprint && s.state === 'present')?.server;
    return source
      ? [
          `$pfx = Export-ExchangeCertificate -Server '${source}' -Thumbprint '${entry.thumbprint}' -BinaryEncoded -Password (Read-Host 'PFX password' -AsSecureString)`,
          `Import-ExchangeCertificate -Server '${entry.server}' -FileData $pfx.FileData -Password (Read-Host 'PFX password' -AsSecureString) -PrivateKeyExportable $true`,
        ]
      : [];
  });
  return { ...base, ok: false, detail: `${lines.join('; ')}.`, fix: fix.join('\n'), fixRunbook: null };
}

/** Whether the org uses (or began to deploy) the dedicated hybrid application: its checks apply then. */
function usesHybridApp(app: HybridAppProbe, overrides: readonly Row[], authServers: readonly Row[]): boolean {
  return (
    app.application !== null ||
    overrides.some((row) => str(row.SectionName) === HYBRID_APP_OVERRIDE.section) ||
    authServers.some((row) => str(row.ApplicationIdentifier) !== '')
  );
}

/** The dedicated hybrid application checks, or one advice when the org still runs on the shared principal. */
export function hybridAppChecks(
  app: HybridAppProbe,
  overrides: { rows: readonly Row[]; error: string | null },
  authServers: readonly Row[],
  facts: AuthCertificateFacts,
  now: Date,
): Check[] {
  if (app.error)
    return [
      {
        id: 'hybrid-app',
        title: 'Dedicated Exchange hybrid application',
        alertBy: 'drift',
        ok: false,
        detail: `The dedicated hybrid application could not be read: ${app.error}`,
        fix: '',
        fixRunbook: null,
      },
    ];
  if (!usesHybridApp(app, overrides.rows, authServers))
    return [
      {
        id: 'hybrid-app',
        title: 'Dedicated Exchange hybrid application',
        alertBy: 'drift',
        ...pass(
          `Not deployed (${app.name ?? 'ExchangeServerApp-<organization GUID>'}): free/busy, MailTips and photos with Exchange Online need it since 2025-10-31. See plan dedicated-hybrid-app.`,
        ),
      },
    ];
  return [
    overrideCheck(overrides),
    authServerCheck(app, authServers),
    hybridAppKeyCheck(app, facts, now),
    hybridAppPermissionCheck(app),
  ];
}

function overrideCheck(overrides: { rows: readonly Row[]; error: string | null }): Check {
  const base = {
    id: 'hybrid-app-override',
    title: `Setting override ${OVERRIDE_NAME} enables the dedicated hybrid application`,
    alertBy: 'drift' as const,
  };
  if (overrides.error)
    return {
      ...base,
      ok: false,
      detail: `Get-SettingOverride failed: ${overrides.error}`,
      fix: '',
      fixRunbook: null,
    };
  const matching = overrides.rows.filter(
    (row) =>
      str(row.ComponentName) === HYBRID_APP_OVERRIDE.component &&
      str(row.SectionName) === HYBRID_APP_OVERRIDE.section,
  );
  const create = [
    renderCommand({
      cmdlet: 'New-SettingOverride',
      params: {
        Name: OVERRIDE_NAME,
        Component: HYBRID_APP_OVERRIDE.component,
        Section: HYBRID_APP_OVERRIDE.section,
        Parameters: ['Enabled=true'],
        Reason: 'Dedicated Exchange hybrid application',
      },
    }),
    renderCommand({
      cmdlet: 'Get-ExchangeDiagnosticInfo',
      params: {
        Process: 'Microsoft.Exchange.Directory.TopologyService',
        Component: 'VariantConfiguration',
        Argument: 'Refresh',
      },
    }),
  ].join('\n');
  if (matching.length === 0)
    return {
      ...base,
      ok: false,
      detail: 'No such setting override exists: Exchange still uses the shared principal.',
      fix: create,
      fixRunbook: null,
    };
  if (matching.length > 1)
    return {
      ...base,
      ok: false,
      // HealthChecker's words.
      detail: `Multiple SettingOverrides detected - unable to determine status of the feature (${matching.map((row) => str(row.Name)).join(', ')}).`,
      fix: `Get-SettingOverride | Where-Object {$_.ComponentName -eq '${HYBRID_APP_OVERRIDE.component}' -and $_.SectionName -eq '${HYBRID_APP_OVERRIDE.section}'} | Remove-SettingOverride -Confirm:$false\n${create}`,
      fixRunbook: null,
    };
  const enabled = strs(matching[0]?.Parameters).some((p) => /^\s*Enabled\s*=\s*true\s*$/i.test(p));
  if (!enabled)
    return {
      ...base,
      ok: false,
      detail: `${str(matching[0]?.Name)} does not set Enabled=true.`,
      fix: create,
      fixRunbook: null,
    };
  return { ...base, ...pass(`${str(matching[0]?.Name)} sets Enabled=true.`) };
}

function authServerCheck(app: HybridAppProbe, authServers: readonly Row[]): Check {
  const base = {
    id: 'hybrid-app-auth-server',
    title: "The AzureAD auth server's ApplicationIdentifier is the dedicated hybrid application",
    alertBy: 'drift' as const,
  };
  const evoSts = authServers.filter((row) => str(row.Type) === 'AzureAD' && row.Enabled !== false);
  const appId = app.application?.appId;
  const linked = evoSts.find((row) => appId && sameText(str(row.ApplicationIdentifier), appId));
  if (linked)
    return {
      ...base,
      ...pass(`${str(linked.Name)} names ${appId} (${strs(linked.DomainName).join(', ')}).`),
    };
  if (!appId)
    return {
      ...base,
      ok: false,
      detail: `No application ${app.name} exists for the auth server to name.`,
      fix: '',
      fixRunbook: null,
    };
  const target = evoSts[0];
  if (!target)
    return {
      ...base,
      ok: false,
      detail: 'No enabled AzureAD (evoSTS) auth server exists.',
      fix: '',
      fixRunbook: null,
    };
  const fix = renderCommand({
    cmdlet: 'Set-AuthServer',
    params: { Identity: str(target.Name), ApplicationIdentifier: appId, DomainName: strs(target.DomainName) },
  });
  return {
    ...base,
    ok: false,
    detail: `${str(target.Name)} names ${str(target.ApplicationIdentifier) || 'no application'}, not ${appId}.`,
    fix,
    fixRunbook: null,
  };
}

function hybridAppKeyCheck(app: HybridAppProbe, facts: AuthCertificateFacts, now: Date): Check {
  const base = {
    id: 'hybrid-app-keys',
    title: 'The dedicated hybrid application holds the auth certificate keys',
    alertBy: 'drift' as const,
  };
  const keys = app.application?.keyCredentials ?? [];
  const wanted = [facts.current?.thumbprint, facts.next?.thumbprint].filter((t): t is string => Boolean(t));
  const lacking = wanted.filter(
    (thumbprint) =>
      !keys.some(
        (key) =>
          sameText(key.customKeyIdentifier ?? '', thumbprint) && Date.parse(key.endDateTime) >= now.getTime(),
      ),
  );
  if (!app.application)
    return { ...base, ok: false, detail: `No application ${app.name} exists.`, fix: '', fixRunbook: null };
  if (lacking.length === 0)
    return { ...base, ...pass(`${app.application.displayName} holds ${wanted.join(' and ')}.`) };
  return {
    ...base,
    ok: false,
    detail: `${app.application.displayName} lacks an unexpired key for ${lacking.join(' and ')}: Exchange Online refuses its tokens.`,
    fix: '',
    fixRunbook: 'rotate-auth-cert',
  };
}

function hybridAppPermissionCheck(app: HybridAppProbe): Check {
  const base = {
    id: 'hybrid-app-permission',
    title: 'The dedicated hybrid application has full_access_as_app on Exchange Online, with admin consent',
    alertBy: 'drift' as const,
  };
  const application = app.application;
  const role = app.role;
  if (!application || !role)
    return {
      ...base,
      ok: false,
      detail: role
        ? `No application ${app.name} exists.`
        : 'Office 365 Exchange Online defines no full_access_as_app role.',
      fix: '',
      fixRunbook: null,
    };
  const requested = application.requiredResourceAccess.some(
    (entry) =>
      sameText(entry.resourceAppId, APP_IDS.exchangeOnline) &&
      entry.resourceAccess.some((access) => sameText(access.id, role.appRoleId) && access.type === 'Role'),
  );
  if (requested && app.granted) return { ...base, ...pass(`Requested and granted (${role.appRoleId}).`) };
  const grant = `POST /v1.0/servicePrincipals/${app.principalId ?? '<service principal id>'}/appRoleAssignments {"principalId":"${app.principalId ?? ''}","resourceId":"${role.resourceId}","appRoleId":"${role.appRoleId}"}`;
  return {
    ...base,
    ok: false,
    detail: `${requested ? 'Requested' : 'Not requested'} and ${app.granted ? 'granted' : 'not granted (no admin consent)'}. See plan dedicated-hybrid-app.`,
    fix: app.granted ? '' : grant,
    fixRunbook: null,
  };
}

/** The application's keys and permission, for `cert`; null when the org has none. */
export function hybridAppFacts(app: HybridAppProbe, now: Date): HybridAppFacts | null {
  const application = app.application;
  if (!application) return null;
  return {
    displayName: application.displayName,
    appId: application.appId,
    keys: application.keyCredentials.map((key) => ({
      thumbprint: key.customKeyIdentifier ?? key.keyId,
      startDateTime: key.startDateTime,
      endDateTime: key.endDateTime,
      expired: Date.parse(key.endDateTime) < now.getTime(),
    })),
    permissionGranted: hybridAppPermissionCheck(app).ok,
  };
}

/** Partner applications, auth servers and intra-organization connectors. */
import { ACS_ISSUER } from '../builtins';
import type { AuthServer, PartnerApplication } from '../state';
import { type CmdletContext, type CmdletHandler, requireAnyUser } from './context';
import { duplicatePartnerApplication, invalidOperation, nameInUse, objectNotFound } from './errors';
import { hasWildcard, sameName, wildcardMatch } from './names';
import { authServerOutput, connectorOutput, partnerApplicationOutput } from './shapes';

function requirePartnerApp(ctx: CmdletContext, identity: string): PartnerApplication {
  const app = ctx.state.org.partnerApplications.find((a) => sameName(a.name, identity));
  if (!app) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return app;
}

/** Rejects a second app with the same ApplicationIdentifier and Realm (ignoring `self` when editing). */
function checkUniqueAppId(ctx: CmdletContext, appId: string, realm: string, self?: PartnerApplication): void {
  const clash = ctx.state.org.partnerApplications.find(
    (a) => a !== self && sameName(a.applicationIdentifier, appId) && sameName(a.realm, realm),
  );
  if (clash) throw duplicatePartnerApplication(ctx.cmdlet, appId, realm, clash.name);
}

/** -LinkedAccount: a user identity, or an empty value to clear the link. */
function linkedAccount(ctx: CmdletContext): string | null | undefined {
  const identity = ctx.params.string('LinkedAccount');
  if (identity === undefined) return undefined;
  if (identity === '' || identity.toLowerCase() === '$null') return null;
  return requireAnyUser(ctx, identity).name;
}

/** New-PartnerApplication: registers an application that may call Exchange with OAuth. */
export const newPartnerApplication: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const name = ctx.params.requireString('Name');
  const authMetadataUrl = ctx.params.string('AuthMetadataUrl') ?? null;
  // The two parameter sets: by ApplicationIdentifier (tokens come through an auth server) or by metadata URL.
  const appId = authMetadataUrl === null ? ctx.params.requireString('ApplicationIdentifier') : '';
  const realm = ctx.params.string('Realm') ?? '';
  const linked = linkedAccount(ctx) ?? null;
  if (org.partnerApplications.some((a) => sameName(a.name, name))) throw nameInUse(ctx.cmdlet, name);
  if (authMetadataUrl === null) checkUniqueAppId(ctx, appId, realm);

  const app: PartnerApplication = {
    name,
    applicationIdentifier: appId,
    realm,
    enabled: ctx.params.bool('Enabled') ?? true,
    linkedAccount: linked,
    authMetadataUrl,
    useAuthServer: authMetadataUrl === null,
    acceptSecurityIdentifierInformation: ctx.params.bool('AcceptSecurityIdentifierInformation') ?? false,
  };
  org.partnerApplications.push(app);
  return [partnerApplicationOutput(app, ctx.state)];
};

/** Get-PartnerApplication: one application by name, a wildcard match, or all. */
export const getPartnerApplication: CmdletHandler = (ctx) => {
  const apps = ctx.state.org.partnerApplications;
  const identity = ctx.params.string('Identity');
  if (identity === undefined) return apps.map((a) => partnerApplicationOutput(a, ctx.state));
  if (hasWildcard(identity)) {
    return apps
      .filter((a) => wildcardMatch(identity, a.name))
      .map((a) => partnerApplicationOutput(a, ctx.state));
  }
  return [partnerApplicationOutput(requirePartnerApp(ctx, identity), ctx.state)];
};

/** Set-PartnerApplication: edits an application found by name. */
export const setPartnerApplication: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const app = requirePartnerApp(ctx, ctx.params.requireString('Identity'));
  const enabled = ctx.params.bool('Enabled');
  const accept = ctx.params.bool('AcceptSecurityIdentifierInformation');
  const linked = linkedAccount(ctx);
  const newName = ctx.params.string('Name');
  const appId = ctx.params.string('ApplicationIdentifier') ?? app.applicationIdentifier;
  const realm = ctx.params.string('Realm') ?? app.realm;
  if (
    newName !== undefined &&
    !sameName(newName, app.name) &&
    org.partnerApplications.some((a) => sameName(a.name, newName))
  ) {
    throw nameInUse(ctx.cmdlet, newName);
  }
  if (ctx.params.has('ApplicationIdentifier') || ctx.params.has('Realm'))
    checkUniqueAppId(ctx, appId, realm, app);

  if (enabled !== undefined) app.enabled = enabled;
  if (accept !== undefined) app.acceptSecurityIdentifierInformation = accept;
  if (linked !== undefined) app.linkedAccount = linked;
  if (newName !== undefined) app.name = newName;
  app.applicationIdentifier = appId;
  app.realm = realm;
  return [];
};

/** Remove-PartnerApplication: deletes an application found by name. */
export const removePartnerApplication: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const app = requirePartnerApp(ctx, ctx.params.requireString('Identity'));
  org.partnerApplications = org.partnerApplications.filter((a) => a !== app);
  return [];
};

/** What Exchange learns by fetching an auth server's metadata document, simulated from the URL. */
function readMetadata(
  ctx: CmdletContext,
  url: string,
): Pick<AuthServer, 'type' | 'issuerIdentifier' | 'realm'> {
  const tenant = ctx.state.tenant;
  const org = ctx.state.org;
  const label = tenant.initialDomain.split('.')[0] ?? '';
  const knownTenantNames = [
    tenant.tenantId,
    tenant.initialDomain,
    `${label}.mail.onmicrosoft.com`,
    org.domain,
  ];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOperation(
      ctx.cmdlet,
      `The value "${url}" isn't a valid URL for the AuthMetadataUrl parameter.`,
    );
  }
  const [tenantPart = ''] = parsed.pathname.split('/').filter((segment) => segment !== '');
  const host = parsed.hostname.toLowerCase();
  const cloud = host === 'login.windows.net' || host === 'login.microsoftonline.com';
  const acs = host === 'accounts.accesscontrol.windows.net';
  if (!cloud && !acs) return { type: 'ADFS', issuerIdentifier: parsed.origin, realm: '' };
  // Microsoft's metadata endpoints only answer for names the tenant owns; anything else is a typo the admin must see.
  if (!knownTenantNames.some((name) => sameName(name, tenantPart))) {
    throw invalidOperation(
      ctx.cmdlet,
      `Couldn't retrieve the authorization metadata from "${url}". The remote server returned an error: (400) Bad Request.`,
    );
  }
  return acs
    ? { type: 'MicrosoftACS', issuerIdentifier: ACS_ISSUER, realm: tenant.tenantId }
    : {
        type: 'AzureAD',
        issuerIdentifier: `https://sts.windows.net/${tenant.tenantId}/`,
        realm: tenant.tenantId,
      };
}

/** New-AuthServer: trusts a token issuer, reading type, issuer and realm from its metadata. */
export const newAuthServer: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const name = ctx.params.requireString('Name');
  const url = ctx.params.requireString('AuthMetadataUrl');
  if (org.authServers.some((s) => sameName(s.name, name))) throw nameInUse(ctx.cmdlet, name);
  const metadata = readMetadata(ctx, url);
  const server: AuthServer = {
    name,
    type: ctx.params.string('Type') ?? metadata.type,
    authMetadataUrl: url,
    issuerIdentifier: metadata.issuerIdentifier,
    realm: metadata.realm,
    enabled: ctx.params.bool('Enabled') ?? true,
  };
  org.authServers.push(server);
  return [authServerOutput(server)];
};

/** Get-AuthServer: one auth server by name, a wildcard match, or all. */
export const getAuthServer: CmdletHandler = (ctx) => {
  const servers = ctx.state.org.authServers;
  const identity = ctx.params.string('Identity');
  if (identity === undefined) return servers.map(authServerOutput);
  const matches = servers.filter((s) => wildcardMatch(identity, s.name));
  if (matches.length === 0 && !hasWildcard(identity)) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return matches.map(authServerOutput);
};

/** Get-IntraOrganizationConnector: one connector by name, a wildcard match, or all. */
export const getIntraOrganizationConnector: CmdletHandler = (ctx) => {
  const connectors = ctx.state.org.intraOrganizationConnectors;
  const identity = ctx.params.string('Identity');
  if (identity === undefined) return connectors.map(connectorOutput);
  const matches = connectors.filter((c) => wildcardMatch(identity, c.name));
  if (matches.length === 0 && !hasWildcard(identity)) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return matches.map(connectorOutput);
};

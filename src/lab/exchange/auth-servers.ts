/** Auth servers: New/Get/Set-AuthServer, with the metadata Microsoft's endpoints publish for the tenant. */
import { parseExchangeBuild, supportsDedicatedHybridApp } from '../../exchange/builds';
import { ACS_ISSUER } from '../builtins';
import { CLOUD_ENDPOINTS } from '../clouds';
import type { AuthServer } from '../state';
import type { CmdletContext, CmdletHandler } from './context';
import { invalidDomainName, invalidOperation, nameInUse, objectNotFound, parameterNotFound } from './errors';
import { hasWildcard, sameName, wildcardMatch } from './names';
import { authServerOutput } from './shapes';
import { localServer } from './topology';

type Metadata = Pick<AuthServer, 'type' | 'issuerIdentifier' | 'realm'>;

const DOMAIN = /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** The names under which Microsoft's metadata endpoints know the tenant. */
function tenantNames(ctx: CmdletContext): string[] {
  const { tenant, org } = ctx.state;
  const label = tenant.initialDomain.split('.')[0] ?? '';
  return [tenant.tenantId, tenant.initialDomain, `${label}.mail.onmicrosoft.com`, org.domain];
}

/** What Exchange learns by fetching an auth server's metadata document, answered from the lab's tenant. */
function readMetadata(ctx: CmdletContext, url: string): Metadata {
  const tenant = ctx.state.tenant;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOperation(
      ctx.cmdlet,
      `The value "${url}" isn't a valid URL for the AuthMetadataUrl parameter.`,
    );
  }
  const host = parsed.hostname.toLowerCase();
  const [tenantPart = ''] = parsed.pathname.split('/').filter((segment) => segment !== '');
  const hostsOf = (cloud: (typeof CLOUD_ENDPOINTS)[keyof typeof CLOUD_ENDPOINTS]) => [
    cloud.acsMetadataHost,
    cloud.evoStsMetadataHost,
    ...cloud.otherMetadataHosts,
  ];
  const microsoft = Object.values(CLOUD_ENDPOINTS).some((cloud) => hostsOf(cloud).includes(host));
  if (!microsoft) return { type: 'ADFS', issuerIdentifier: parsed.origin, realm: '' };
  // Microsoft's endpoints only answer for names the tenant owns, in its own cloud: anything else is a typo to show.
  const ownCloud = hostsOf(CLOUD_ENDPOINTS[tenant.cloud]).includes(host);
  if (!ownCloud || !tenantNames(ctx).some((name) => sameName(name, tenantPart))) {
    throw invalidOperation(
      ctx.cmdlet,
      `Couldn't retrieve the authorization metadata from "${url}". The remote server returned an error: (400) Bad Request.`,
    );
  }
  const acs =
    /\/metadata\/json\/1\/?$/i.test(parsed.pathname) || host === 'accounts.accesscontrol.windows.net';
  return acs
    ? { type: 'MicrosoftACS', issuerIdentifier: ACS_ISSUER, realm: tenant.tenantId }
    : {
        type: 'AzureAD',
        issuerIdentifier: `https://sts.windows.net/${tenant.tenantId}/`,
        realm: tenant.tenantId,
      };
}

/** -DomainName: tenant domains, each checked as a domain name; an empty list clears them. */
function domainNames(ctx: CmdletContext): string[] | undefined {
  const given = ctx.params.strings('DomainName');
  if (given === undefined) return undefined;
  const domains = given.filter((domain) => domain !== '');
  const bad = domains.find((domain) => !DOMAIN.test(domain));
  if (bad !== undefined) throw invalidDomainName(ctx.cmdlet, bad);
  return [...new Set(domains.map((domain) => domain.toLowerCase()))];
}

function requireAuthServer(ctx: CmdletContext, identity: string): AuthServer {
  const server = ctx.state.org.authServers.find((s) => sameName(s.name, identity));
  if (!server) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return server;
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
    applicationIdentifier: null,
    domainName: domainNames(ctx) ?? [],
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

/** -ApplicationIdentifier exists only from the April 2025 HU on: an older build's binder doesn't know it. */
function checkApplicationIdentifierExists(ctx: CmdletContext): void {
  if (!ctx.params.has('ApplicationIdentifier')) return;
  const build = parseExchangeBuild(localServer(ctx.state)?.exSetupVersion ?? '');
  if (!build || !supportsDedicatedHybridApp(build))
    throw parameterNotFound(ctx.cmdlet, 'ApplicationIdentifier');
}

/** Set-AuthServer: links the dedicated hybrid application and the tenant's domains, renames, enables, refreshes. */
export const setAuthServer: CmdletHandler = (ctx) => {
  checkApplicationIdentifierExists(ctx);
  const server = requireAuthServer(ctx, ctx.params.requireString('Identity'));
  const newName = ctx.params.string('Name');
  if (
    newName !== undefined &&
    !sameName(newName, server.name) &&
    ctx.state.org.authServers.some((s) => sameName(s.name, newName))
  ) {
    throw nameInUse(ctx.cmdlet, newName);
  }
  const domains = domainNames(ctx);
  const url = ctx.params.string('AuthMetadataUrl');
  const refresh = url !== undefined || ctx.params.switch('RefreshAuthMetadata');
  // Reading the metadata may fail; everything is checked before anything changes.
  const metadata = refresh ? readMetadata(ctx, url ?? server.authMetadataUrl) : undefined;
  const appId = ctx.params.string('ApplicationIdentifier');

  if (metadata) Object.assign(server, metadata, { authMetadataUrl: url ?? server.authMetadataUrl });
  if (appId !== undefined) server.applicationIdentifier = appId === '' ? null : appId;
  if (domains !== undefined) server.domainName = domains;
  const enabled = ctx.params.bool('Enabled');
  if (enabled !== undefined) server.enabled = enabled;
  if (newName !== undefined) server.name = newName;
  return [];
};

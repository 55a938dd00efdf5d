/** The org's servers, its configuration object and accepted domains: Get-ExchangeServer, Get-OrganizationConfig, Get-AcceptedDomain. */
import type { ExchangeServer, LabState } from '../state';
import type { CmdletContext, CmdletHandler } from './context';
import { objectNotFound, serverUnavailable } from './errors';
import { hasWildcard, sameName, wildcardMatch } from './names';
import { acceptedDomainOutput, exchangeServerOutput, organizationConfigOutput } from './shapes';

/** The server the EMS session runs on (`org.localServer`), else the first Mailbox server. */
export function localServer(state: LabState): ExchangeServer | undefined {
  const servers = state.org.servers;
  return (
    servers.find((server) => sameName(server.name, state.org.localServer)) ??
    servers.find((server) => server.role === 'Mailbox')
  );
}

function identifies(identity: string, server: ExchangeServer): boolean {
  return sameName(server.name, identity) || sameName(server.fqdn, identity);
}

/** The server -Server names (name or FQDN), else the local server; not found is Exchange's usual error. */
export function targetServer(ctx: CmdletContext, parameter = 'Server'): ExchangeServer {
  const identity = ctx.params.string(parameter);
  const server =
    identity === undefined
      ? localServer(ctx.state)
      : ctx.state.org.servers.find((candidate) => identifies(identity, candidate));
  if (!server) throw objectNotFound(ctx.cmdlet, identity ?? ctx.state.org.localServer, ctx.dc);
  return server;
}

/** Like targetServer, and the server must answer. */
export function reachableServer(ctx: CmdletContext): ExchangeServer {
  const server = targetServer(ctx);
  if (!server.online) throw serverUnavailable(ctx.cmdlet, server.name);
  return server;
}

/** Get-ExchangeServer: one server by name or FQDN, a wildcard match, or all. */
export const getExchangeServer: CmdletHandler = (ctx) => {
  const servers = ctx.state.org.servers;
  const identity = ctx.params.string('Identity');
  const output = (server: ExchangeServer) => exchangeServerOutput(server, ctx.state.org.domain);
  if (identity === undefined) return servers.map(output);
  if (hasWildcard(identity)) {
    return servers
      .filter((s) => wildcardMatch(identity, s.name) || wildcardMatch(identity, s.fqdn))
      .map(output);
  }
  const server = servers.find((candidate) => identifies(identity, candidate));
  if (!server) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return [output(server)];
};

/** Get-OrganizationConfig: the organization object, with the GUID that names the dedicated hybrid application. */
export const getOrganizationConfig: CmdletHandler = (ctx) => [organizationConfigOutput(ctx.state.org)];

/** Get-AcceptedDomain: one accepted domain by name or domain, or all. */
export const getAcceptedDomain: CmdletHandler = (ctx) => {
  const domains = ctx.state.org.acceptedDomains;
  const identity = ctx.params.string('Identity');
  if (identity === undefined) return domains.map(acceptedDomainOutput);
  const matches = domains.filter(
    (d) => wildcardMatch(identity, d.name) || wildcardMatch(identity, d.domainName),
  );
  if (matches.length === 0 && !hasWildcard(identity)) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return matches.map(acceptedDomainOutput);
};

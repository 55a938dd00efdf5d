/** On-premises intra-organization connectors: Get/New/Set-IntraOrganizationConnector. */
import type { IntraOrganizationConnector } from '../state';
import type { CmdletContext, CmdletHandler } from './context';
import { invalidArgument, nameInUse, objectNotFound } from './errors';
import { hasWildcard, sameName, wildcardMatch } from './names';
import { connectorOutput } from './shapes';

/** -DiscoveryEndpoint is a [Uri]: an absolute URL, or PowerShell can't bind it. */
function discoveryEndpoint(ctx: CmdletContext): string | undefined {
  const value = ctx.params.string('DiscoveryEndpoint');
  if (value === undefined) return undefined;
  try {
    new URL(value);
    return value;
  } catch {
    throw invalidArgument(
      ctx.cmdlet,
      `Cannot bind parameter 'DiscoveryEndpoint'. Cannot convert value "${value}" to type "System.Uri". Error: "Invalid URI: The format of the URI could not be determined."`,
    );
  }
}

function targetAddressDomains(ctx: CmdletContext): string[] | undefined {
  const domains = ctx.params.strings('TargetAddressDomains');
  return domains === undefined ? undefined : [...new Set(domains.filter((domain) => domain !== ''))];
}

/** Get-IntraOrganizationConnector: one connector by name, a wildcard match, or all. */
export const getIntraOrganizationConnector: CmdletHandler = (ctx) => {
  const connectors = ctx.state.org.intraOrganizationConnectors;
  const identity = ctx.params.string('Identity');
  if (identity === undefined) return connectors.map(connectorOutput);
  const matches = connectors.filter((c) => wildcardMatch(identity, c.name));
  if (matches.length === 0 && !hasWildcard(identity)) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return matches.map(connectorOutput);
};

/** New-IntraOrganizationConnector: the on-premises side of hybrid free/busy and MailTips discovery. */
export const newIntraOrganizationConnector: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const name = ctx.params.requireString('Name');
  const endpoint = discoveryEndpoint(ctx) ?? ctx.params.requireString('DiscoveryEndpoint');
  const domains = targetAddressDomains(ctx) ?? ctx.params.requireString('TargetAddressDomains').split(',');
  if (org.intraOrganizationConnectors.some((c) => sameName(c.name, name))) throw nameInUse(ctx.cmdlet, name);
  const connector: IntraOrganizationConnector = {
    name,
    enabled: ctx.params.bool('Enabled') ?? true,
    discoveryEndpoint: endpoint,
    targetAddressDomains: domains,
  };
  org.intraOrganizationConnectors.push(connector);
  return [connectorOutput(connector)];
};

/** Set-IntraOrganizationConnector: enables, re-points or re-targets a connector found by name. */
export const setIntraOrganizationConnector: CmdletHandler = (ctx) => {
  const identity = ctx.params.requireString('Identity');
  const connector = ctx.state.org.intraOrganizationConnectors.find((c) => sameName(c.name, identity));
  if (!connector) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  const endpoint = discoveryEndpoint(ctx);
  const domains = targetAddressDomains(ctx);
  const enabled = ctx.params.bool('Enabled');
  if (endpoint !== undefined) connector.discoveryEndpoint = endpoint;
  if (domains !== undefined) connector.targetAddressDomains = domains;
  if (enabled !== undefined) connector.enabled = enabled;
  return [];
};

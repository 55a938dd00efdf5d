/**
 * The orgs the production bot serves: every entry of the orgs file (HYBRIDOPS_ORGS) with its Graph credential
 * resolved from the app setting it names, or, without a file, the one org of the environment's settings.
 */
import { CodedError } from '../core/errors';
import { type BotSettings, type Config, requireBotSettings } from './load-config';
import { type GraphCredentialRef, type OrgEntry, requireOrgsFile } from './orgs-file';
import { type GraphCredentialSetting, loadProductionSettings } from './production-settings';

/** One org as production serves it: the orgs file's entry with its Graph credential in hand. */
export interface ProductionOrg extends Omit<OrgEntry, 'graph'> {
  readonly graphClientId: string;
  readonly graphCredential: GraphCredentialSetting;
}

export interface ProductionOrgs {
  readonly orgs: readonly ProductionOrg[];
  /** True when they come from an orgs file (each admin channel's reference then has the org's own key). */
  readonly fromFile: boolean;
  /** A national cloud's Graph root and Entra authority; null for the public cloud. */
  readonly graphUrl: string | null;
  readonly authorityHost: string | null;
}

/** The value of the app setting an org's credential names; CONFIG_INVALID naming the org when it is unset. */
function setting(env: NodeJS.ProcessEnv, name: string, org: Pick<OrgEntry, 'id'>): string {
  const value = env[name];
  if (!value)
    throw new CodedError(
      'CONFIG_INVALID',
      `Set ${name}: org "${org.id}" keeps its Graph credential there (on App Service, a Key Vault reference).`,
    );
  return value;
}

/** The credential an orgs-file reference points to. */
function credentialOf(
  ref: GraphCredentialRef,
  org: Pick<OrgEntry, 'id'>,
  env: NodeJS.ProcessEnv,
): GraphCredentialSetting {
  if ('certificateSetting' in ref) {
    const pem = setting(env, ref.certificateSetting, org);
    if (!pem.includes('-----BEGIN'))
      throw new CodedError(
        'CONFIG_INVALID',
        `Set ${ref.certificateSetting} to a PEM certificate and key for org "${org.id}": a value that reads @Microsoft.KeyVault(…) is a Key Vault reference App Service could not resolve.`,
      );
    return { kind: 'certificate', pem };
  }
  if ('certificateFile' in ref)
    return {
      kind: 'certificate-file',
      file: ref.certificateFile,
      source: `org "${org.id}"'s certificateFile`,
    };
  if ('clientSecretSetting' in ref)
    return { kind: 'client-secret', secret: setting(env, ref.clientSecretSetting, org) };
  if ('managedIdentity' in ref) return { kind: 'managed-identity' };
  return { kind: 'federated', managedIdentityClientId: ref.federatedIdentity };
}

/** The one org of the environment's settings (HYBRIDOPS_ORG_*), with the bot's admin channel and people. */
function environmentOrg(bot: BotSettings, env: NodeJS.ProcessEnv): ProductionOrgs {
  const production = loadProductionSettings(env);
  const org: ProductionOrg = {
    id: production.orgDomain,
    domain: production.orgDomain,
    dc: production.orgDc,
    tenantId: bot.tenantId,
    runbook: production.orgRunbook,
    ...(production.testMailbox ? { testMailbox: production.testMailbox } : {}),
    agentId: production.relayAgentId,
    graphClientId: production.graphClientId,
    graphCredential: production.graphCredential,
    channel: { tenantId: bot.tenantId, teamId: bot.adminTeamId, channelId: bot.adminChannelId },
    operators: [...bot.operators],
    approvers: [...bot.approvers],
  };
  return {
    orgs: [org],
    fromFile: false,
    graphUrl: production.graphUrl,
    authorityHost: production.authorityHost,
  };
}

/**
 * One orgs-file entry with its Graph credential in hand, as the bot and `hybridops … --org ID` resolve it: an app
 * setting it names is read from `env`; throws CONFIG_INVALID naming the setting when it is unset.
 */
export function productionOrgOf({ graph, ...org }: OrgEntry, env: NodeJS.ProcessEnv): ProductionOrg {
  return { ...org, graphClientId: graph.clientId, graphCredential: credentialOf(graph.credential, org, env) };
}

/** The national cloud every org of an orgs file signs in to: Graph's root and Entra's authority, null for public. */
export function orgsFileCloud(env: NodeJS.ProcessEnv): Pick<ProductionOrgs, 'graphUrl' | 'authorityHost'> {
  return { graphUrl: env.HYBRIDOPS_GRAPH_URL || null, authorityHost: env.AZURE_AUTHORITY_HOST || null };
}

/** Every org to serve, validated; throws CONFIG_INVALID naming the setting, org or field to fix. */
export function loadProductionOrgs(config: Config, env: NodeJS.ProcessEnv = process.env): ProductionOrgs {
  const file = env.HYBRIDOPS_ORGS?.trim();
  if (!file) return environmentOrg(requireBotSettings(config), env);
  const orgs = requireOrgsFile(file).map((entry) => productionOrgOf(entry, env));
  return { orgs, fromFile: true, ...orgsFileCloud(env) };
}

/**
 * The bot's TeamsAdapter, with its connector and user-token clients reused across turns. botbuilder builds both
 * anew for every activity it receives and every proactive post (a credential and an HTTP pipeline each), though
 * neither keeps anything of a turn: under a burst of clicks that was a tenth of each answer's time.
 */
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type Authentication = Pick<
  ConfigurationBotFrameworkAuthentication,
  'authenticateRequest' | 'createConnectorFactory' | 'createUserTokenClient'
>;
type ConnectorFactory = ReturnType<Authentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<Authentication['createUserTokenClient']>>;
type Claims = Parameters<Authentication['createConnectorFactory']>[0];

/** How many clients of each kind are kept: one per service URL (Teams has a few per cloud) and bot app id. */
export const REUSED_CLIENTS_LIMIT = 64;

/** The bot's own app id as the claims name it (audience for the channel, appid for the emulator), as botbuilder reads it. */
const appIdOf = (claims: Claims): string =>
  claims.getClaimValue('aud') ?? claims.getClaimValue('appid') ?? '';

/** A bounded map of clients being made or made; one that failed to be made is forgotten, so the next try makes it again. */
function clientCache<T>(limit: number) {
  const made = new Map<string, Promise<T>>();
  return (key: string, make: () => Promise<T>): Promise<T> => {
    const found = made.get(key);
    if (found) return found;
    const making = make();
    making.catch(() => {
      if (made.get(key) === making) made.delete(key);
    });
    const oldest = made.keys().next();
    if (made.size >= limit && !oldest.done) made.delete(oldest.value);
    made.set(key, making);
    return making;
  };
}

/**
 * Makes `authentication` hand out one connector client per bot app id, service URL and audience, and one user-token
 * client per bot app id, for incoming turns and proactive posts alike.
 */
export function reuseTurnClients(authentication: Authentication, limit = REUSED_CLIENTS_LIMIT): void {
  const connectors = clientCache<ConnectorClient>(limit);
  const userTokens = clientCache<UserTokenClient>(limit);
  const authenticate = authentication.authenticateRequest.bind(authentication);
  const factoryFor = authentication.createConnectorFactory.bind(authentication);
  const userTokenClientFor = authentication.createUserTokenClient.bind(authentication);
  const reusing = (factory: ConnectorFactory, appId: string): ConnectorFactory => ({
    create: (serviceUrl, audience) =>
      connectors(`${appId}\n${serviceUrl}\n${audience ?? ''}`, () => factory.create(serviceUrl, audience)),
  });
  authentication.authenticateRequest = async (activity, authHeader) => {
    const result = await authenticate(activity, authHeader);
    const factory = result.connectorFactory;
    // A streaming request carries no factory; the adapter makes its own then.
    return factory
      ? { ...result, connectorFactory: reusing(factory, appIdOf(result.claimsIdentity)) }
      : result;
  };
  authentication.createConnectorFactory = (claims) => reusing(factoryFor(claims), appIdOf(claims));
  authentication.createUserTokenClient = (claims) =>
    userTokens(appIdOf(claims), () => userTokenClientFor(claims));
}

/** teams-ai's TeamsAdapter, reusing its clients across turns. */
export class ReusingTeamsAdapter extends TeamsAdapter {
  constructor(...args: ConstructorParameters<typeof TeamsAdapter>) {
    super(...args);
    reuseTurnClients(this.botFrameworkAuthentication);
  }
}

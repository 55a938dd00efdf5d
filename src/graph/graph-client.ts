/** Builds the Microsoft Graph client hybridops uses: a real @azure/identity credential and the Graph JS client. */
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import {
  Client,
  type FetchOptions,
  MiddlewareFactory,
  RetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { Agent } from 'undici';
import { GraphError } from './errors';
import { createRetryHandler, type Sleep } from './retry';

export const GRAPH_BASE_URL = 'https://graph.microsoft.com/';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface GraphClientOptions {
  /** Graph root, default `https://graph.microsoft.com/`; the lab passes `https://127.0.0.1:PORT/`. */
  readonly baseUrl?: string;
  /** Entra authority host, default the public cloud; the lab passes `https://127.0.0.1:PORT`. */
  readonly authorityHost?: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** PEM holding the app certificate and its private key, for certificate authentication. */
  readonly certificatePem?: string;
  /** Extra CA (PEM) to trust for both Entra and Graph, e.g. the lab CA made at runtime. */
  readonly caPem?: string;
  /** The RetryHandler's wait between throttled tries; default setTimeout (the lab's tests pass one that records). */
  readonly sleep?: Sleep;
  /** A credential made elsewhere (a managed identity); replaces clientSecret and certificatePem. */
  readonly credential?: TokenCredential;
}

export interface GraphConnection {
  readonly client: Client;
  readonly credential: TokenCredential;
  /** Releases the connection pool opened for `caPem`. */
  close(): Promise<void>;
}

/**
 * Creates the Graph client with a client-secret or client-certificate credential.
 *
 * Trusting a CA created at runtime, in this process (NODE_EXTRA_CA_CERTS is read once at startup):
 * - Entra (MSAL): @azure/identity sends MSAL's requests through core-rest-pipeline, whose `tlsOptions.ca` becomes
 *   the `ca` of the https.Agent for those calls. It replaces the default roots, so it is set only with `caPem`.
 * - Graph: the Graph client calls Node's global fetch (undici) with the client's `fetchOptions` as the init, so
 *   an undici `Agent({ connect: { ca } })` given as `fetchOptions.dispatcher` makes only this client trust the CA.
 *   Nothing process-wide changes (no setGlobalDispatcher). The npm undici 6 Agent fits Node 20's bundled fetch
 *   (undici 6); an `agent` (https.Agent) option does nothing for fetch.
 */
export function createGraphClient(options: GraphClientOptions): GraphConnection {
  const baseUrl = options.baseUrl ?? GRAPH_BASE_URL;
  const credentialOptions = {
    ...(options.authorityHost === undefined
      ? {}
      : // A non-public authority has no instance-discovery metadata at login.microsoftonline.com.
        { authorityHost: options.authorityHost, disableInstanceDiscovery: true }),
    ...(options.caPem === undefined ? {} : { tlsOptions: { ca: options.caPem } }),
  };
  const credential = options.credential ?? createCredential(options, credentialOptions);
  const dispatcher = options.caPem === undefined ? undefined : new Agent({ connect: { ca: options.caPem } });
  const host = new URL(baseUrl).hostname;
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] });
  // The client's default chain, its RetryHandler built with our policy (and the injected wait).
  const middleware = MiddlewareFactory.getDefaultMiddlewareChain(authProvider).map((handler) =>
    handler instanceof RetryHandler ? createRetryHandler(options.sleep) : handler,
  );
  const client = Client.initWithMiddleware({
    middleware,
    baseUrl,
    // The client attaches the bearer token only for graph.microsoft.com and these hostnames (no port).
    ...(new URL(GRAPH_BASE_URL).hostname === host ? {} : { customHosts: new Set([host]) }),
    // `dispatcher` is undici's fetch extension; RequestInit in lib.dom does not declare it.
    ...(dispatcher === undefined ? {} : { fetchOptions: { dispatcher } as FetchOptions }),
  });
  return {
    client,
    credential,
    close: async () => {
      await dispatcher?.close();
    },
  };
}

function createCredential(options: GraphClientOptions, credentialOptions: object): TokenCredential {
  if (options.clientSecret !== undefined && options.certificatePem === undefined) {
    return new ClientSecretCredential(
      options.tenantId,
      options.clientId,
      options.clientSecret,
      credentialOptions,
    );
  }
  if (options.certificatePem !== undefined && options.clientSecret === undefined) {
    return new ClientCertificateCredential(
      options.tenantId,
      options.clientId,
      { certificate: options.certificatePem },
      credentialOptions,
    );
  }
  throw new GraphError(
    'GRAPH_CONFIG_INVALID',
    'createGraphClient needs exactly one of clientSecret or certificatePem.',
    {
      status: 0,
      graphCode: null,
    },
  );
}

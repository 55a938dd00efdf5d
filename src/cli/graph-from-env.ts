/** Microsoft Graph for the CLI against a real org: an @azure/identity credential from the environment. */
import { ManagedIdentityCredential } from '@azure/identity';
import { z } from 'zod/v4';
import { CodedError } from '../core/errors';
import type { Clock, GraphPort } from '../core/ports';
import { createGraphClient, type GraphClientOptions } from '../graph/graph-client';
import { readCertificate } from '../graph/graph-credential';
import { MsGraphPort } from '../graph/graph-port';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const schema = z.object({
  HYBRIDOPS_TENANT_ID: z.string().trim().toLowerCase().regex(GUID, 'the Entra tenant id (GUID) of the org'),
  HYBRIDOPS_GRAPH_CLIENT_ID: z.string().trim().min(1).optional(),
  HYBRIDOPS_GRAPH_CERTIFICATE_FILE: z.string().min(1).optional(),
  HYBRIDOPS_GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  HYBRIDOPS_GRAPH_MANAGED_IDENTITY: z.enum(['true', 'false']).optional(),
  // @azure/identity's own variable for a national cloud's Entra, and the matching Graph root.
  AZURE_AUTHORITY_HOST: z.url().optional(),
  HYBRIDOPS_GRAPH_URL: z.url().optional(),
});

/** Graph with the org's credentials, and the tenant those credentials are for. */
export interface EnvironmentGraph {
  readonly graph: GraphPort;
  readonly tenantId: string;
  /** Which credential is used, for the CLI to say (never the secret). */
  readonly credentialKind: 'certificate' | 'client secret' | 'managed identity';
  close(): Promise<void>;
}

/**
 * Reads the Graph credential from the environment: an app certificate (HYBRIDOPS_GRAPH_CERTIFICATE_FILE,
 * PEM with its key), a client secret, or the machine's managed identity (Azure VM or Arc-enabled server);
 * throws CONFIG_INVALID naming the variable to set.
 */
export function graphFromEnvironment(env: NodeJS.ProcessEnv, clock: Clock): EnvironmentGraph {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CodedError(
      'CONFIG_INVALID',
      `Set ${String(issue?.path[0] ?? 'environment')}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const values = parsed.data;
  const managed = values.HYBRIDOPS_GRAPH_MANAGED_IDENTITY === 'true';
  const given = [
    values.HYBRIDOPS_GRAPH_CERTIFICATE_FILE,
    values.HYBRIDOPS_GRAPH_CLIENT_SECRET,
    managed || undefined,
  ];
  if (given.filter((value) => value !== undefined).length !== 1) {
    throw new CodedError(
      'CONFIG_INVALID',
      'Set exactly one Graph credential: HYBRIDOPS_GRAPH_CERTIFICATE_FILE (preferred), HYBRIDOPS_GRAPH_CLIENT_SECRET, or HYBRIDOPS_GRAPH_MANAGED_IDENTITY=true.',
    );
  }
  const clientId = values.HYBRIDOPS_GRAPH_CLIENT_ID;
  if (!managed && !clientId) {
    throw new CodedError(
      'CONFIG_INVALID',
      'Set HYBRIDOPS_GRAPH_CLIENT_ID: the Entra app (client) id hybridops uses for Graph.',
    );
  }
  const base = {
    tenantId: values.HYBRIDOPS_TENANT_ID,
    clientId: clientId ?? 'managed-identity',
    ...(values.HYBRIDOPS_GRAPH_URL ? { baseUrl: values.HYBRIDOPS_GRAPH_URL } : {}),
    ...(values.AZURE_AUTHORITY_HOST ? { authorityHost: values.AZURE_AUTHORITY_HOST } : {}),
  };
  let options: GraphClientOptions;
  let credentialKind: EnvironmentGraph['credentialKind'];
  if (values.HYBRIDOPS_GRAPH_CERTIFICATE_FILE) {
    options = { ...base, certificatePem: readCertificate(values.HYBRIDOPS_GRAPH_CERTIFICATE_FILE) };
    credentialKind = 'certificate';
  } else if (values.HYBRIDOPS_GRAPH_CLIENT_SECRET) {
    options = { ...base, clientSecret: values.HYBRIDOPS_GRAPH_CLIENT_SECRET };
    credentialKind = 'client secret';
  } else {
    // A user-assigned identity is named by its client id; without one, the system-assigned identity.
    options = { ...base, credential: new ManagedIdentityCredential(clientId ? { clientId } : {}) };
    credentialKind = 'managed identity';
  }
  const connection = createGraphClient(options);
  return {
    graph: new MsGraphPort({ client: connection.client, clock }),
    tenantId: values.HYBRIDOPS_TENANT_ID,
    credentialKind,
    close: () => connection.close(),
  };
}

/** The Graph client options for the production bot's credential setting (see `GraphCredentialSetting`). */
import fs from 'node:fs';
import { ClientAssertionCredential, ManagedIdentityCredential } from '@azure/identity';
import type { ProductionOrg, ProductionOrgs } from '../config/production-orgs';
import type { GraphCredentialSetting } from '../config/production-settings';
import { CodedError } from '../core/errors';
import type { GraphClientOptions } from './graph-client';

/** The audience Entra expects of a managed identity's token used as a federated credential. */
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange/.default';

export interface GraphSignIn {
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: GraphCredentialSetting;
  readonly graphUrl: string | null;
  readonly authorityHost: string | null;
}

/** How one org signs in to Graph: its tenant, its client id and credential, in the cloud its orgs file is for. */
export function orgSignIn(
  org: Pick<ProductionOrg, 'tenantId' | 'graphClientId' | 'graphCredential'>,
  cloud: Pick<ProductionOrgs, 'graphUrl' | 'authorityHost'>,
): GraphSignIn {
  return {
    tenantId: org.tenantId,
    clientId: org.graphClientId,
    credential: org.graphCredential,
    graphUrl: cloud.graphUrl,
    authorityHost: cloud.authorityHost,
  };
}

/** Options for `createGraphClient`; throws CONFIG_INVALID when a certificate file cannot be read. */
export function graphClientOptions(signIn: GraphSignIn): GraphClientOptions {
  const base = {
    tenantId: signIn.tenantId,
    clientId: signIn.clientId,
    ...(signIn.graphUrl ? { baseUrl: signIn.graphUrl } : {}),
    ...(signIn.authorityHost ? { authorityHost: signIn.authorityHost } : {}),
  };
  const setting = signIn.credential;
  switch (setting.kind) {
    case 'certificate':
      return { ...base, certificatePem: setting.pem };
    case 'certificate-file':
      return { ...base, certificatePem: readCertificate(setting.file, setting.source) };
    case 'client-secret':
      return { ...base, clientSecret: setting.secret };
    case 'managed-identity':
      // The managed identity itself holds the Graph permission: it can reach only its own tenant.
      return { ...base, credential: new ManagedIdentityCredential({ clientId: signIn.clientId }) };
    case 'federated': {
      // Workload identity federation: the app trusts the managed identity, whose token is the app's assertion.
      const identity = new ManagedIdentityCredential({ clientId: setting.managedIdentityClientId });
      const assertion = async () => {
        const token = await identity.getToken(FEDERATION_AUDIENCE);
        if (!token) throw new CodedError('CONFIG_INVALID', 'The managed identity gave no token for Graph.');
        return token.token;
      };
      return {
        ...base,
        credential: new ClientAssertionCredential(
          signIn.tenantId,
          signIn.clientId,
          assertion,
          signIn.authorityHost ? { authorityHost: signIn.authorityHost } : {},
        ),
      };
    }
  }
}

/** Reads a PEM file; throws CONFIG_INVALID naming `source`, the setting or entry that gave the path, when it cannot. */
export function readCertificate(file: string, source = 'HYBRIDOPS_GRAPH_CERTIFICATE_FILE'): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CodedError(
      'CONFIG_INVALID',
      `${source}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
}

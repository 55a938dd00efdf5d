/** The production entry's settings beyond the bot's: the Graph credential, the relay agent, the org. */
import { z } from 'zod/v4';
import { CodedError } from '../core/errors';
import { givenSettings } from './load-config';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const productionSchema = z.object({
  HYBRIDOPS_GRAPH_CLIENT_ID: z
    .string()
    .trim()
    .min(1, 'the client id the bot uses for Graph (the Entra app, or the managed identity)'),
  HYBRIDOPS_GRAPH_CERTIFICATE: z
    .string()
    .refine(
      (text) => text.includes('-----BEGIN'),
      'not a PEM certificate and key; a value that reads @Microsoft.KeyVault(…) is a Key Vault reference App Service could not resolve: check that the secret exists and that the bot’s identity may read it',
    )
    .optional(),
  HYBRIDOPS_GRAPH_CERTIFICATE_FILE: z.string().min(1).optional(),
  HYBRIDOPS_GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  HYBRIDOPS_GRAPH_MANAGED_IDENTITY: z.enum(['true', 'false']).optional(),
  HYBRIDOPS_GRAPH_FEDERATED_IDENTITY: z
    .string()
    .trim()
    .toLowerCase()
    .regex(GUID, 'the client id (GUID) of the managed identity the Graph app trusts')
    .optional(),
  // @azure/identity's own variable for a national cloud's Entra, and the matching Graph root.
  AZURE_AUTHORITY_HOST: z.url().optional(),
  HYBRIDOPS_GRAPH_URL: z.url().optional(),
  HYBRIDOPS_RELAY_AGENT_ID: z
    .string()
    .trim()
    .min(1, 'the id of the relay agent next to Exchange (agents add --id)'),
  HYBRIDOPS_ORG_DOMAIN: z.string().trim().toLowerCase().min(3, 'the verified domain, e.g. contoso.com'),
  HYBRIDOPS_ORG_DC: z
    .string()
    .trim()
    .toLowerCase()
    .min(3, 'the domain controller FQDN, e.g. dc01.contoso.com'),
  HYBRIDOPS_ORG_RUNBOOK: z.enum(['teams', 'sfb-online', 'sfb-online-2019', 'sfb-legacy']).default('teams'),
  HYBRIDOPS_TEST_MAILBOX: z.string().trim().min(3).optional(),
});

/**
 * How the bot signs in to Graph: an app certificate (PEM text with its key, e.g. from a Key Vault reference,
 * or a PEM file), a client secret, the App Service's managed identity itself (the org is the bot's own
 * tenant), or an app that trusts that managed identity (workload identity federation).
 */
export type GraphCredentialSetting =
  | { readonly kind: 'certificate'; readonly pem: string }
  /** `source` names where the file's path was given, for the sentence when it cannot be read. */
  | { readonly kind: 'certificate-file'; readonly file: string; readonly source: string }
  | { readonly kind: 'client-secret'; readonly secret: string }
  | { readonly kind: 'managed-identity' }
  | { readonly kind: 'federated'; readonly managedIdentityClientId: string };

/** What the production entry needs beyond the bot settings: Graph credentials, the relay agent, the org. */
export interface ProductionSettings {
  readonly graphClientId: string;
  readonly graphCredential: GraphCredentialSetting;
  /** A national cloud's Graph root and Entra authority; null for the public cloud. */
  readonly graphUrl: string | null;
  readonly authorityHost: string | null;
  readonly relayAgentId: string;
  readonly orgDomain: string;
  readonly orgDc: string;
  readonly orgRunbook: 'teams' | 'sfb-online' | 'sfb-online-2019' | 'sfb-legacy';
  readonly testMailbox: string | null;
}

/** The one Graph credential the settings give; throws CONFIG_INVALID unless exactly one is given. */
function graphCredentialOf(values: z.infer<typeof productionSchema>): GraphCredentialSetting {
  const given: GraphCredentialSetting[] = [
    ...(values.HYBRIDOPS_GRAPH_CERTIFICATE
      ? [{ kind: 'certificate', pem: values.HYBRIDOPS_GRAPH_CERTIFICATE } as const]
      : []),
    ...(values.HYBRIDOPS_GRAPH_CERTIFICATE_FILE
      ? [
          {
            kind: 'certificate-file',
            file: values.HYBRIDOPS_GRAPH_CERTIFICATE_FILE,
            source: 'HYBRIDOPS_GRAPH_CERTIFICATE_FILE',
          } as const,
        ]
      : []),
    ...(values.HYBRIDOPS_GRAPH_CLIENT_SECRET
      ? [{ kind: 'client-secret', secret: values.HYBRIDOPS_GRAPH_CLIENT_SECRET } as const]
      : []),
    ...(values.HYBRIDOPS_GRAPH_MANAGED_IDENTITY === 'true' ? [{ kind: 'managed-identity' } as const] : []),
    ...(values.HYBRIDOPS_GRAPH_FEDERATED_IDENTITY
      ? [{ kind: 'federated', managedIdentityClientId: values.HYBRIDOPS_GRAPH_FEDERATED_IDENTITY } as const]
      : []),
  ];
  const [credential] = given;
  if (given.length !== 1 || !credential) {
    throw new CodedError(
      'CONFIG_INVALID',
      'Set exactly one Graph credential: HYBRIDOPS_GRAPH_CERTIFICATE or HYBRIDOPS_GRAPH_CERTIFICATE_FILE (preferred), HYBRIDOPS_GRAPH_CLIENT_SECRET, HYBRIDOPS_GRAPH_MANAGED_IDENTITY=true, or HYBRIDOPS_GRAPH_FEDERATED_IDENTITY.',
    );
  }
  return credential;
}

/** Parses the production entry's settings; throws CONFIG_INVALID naming the variable to set. */
export function loadProductionSettings(env: NodeJS.ProcessEnv = process.env): ProductionSettings {
  const given = givenSettings(env);
  const parsed = productionSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CodedError(
      'CONFIG_INVALID',
      `Set ${String(issue?.path[0] ?? 'environment')}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const values = parsed.data;
  return {
    graphClientId: values.HYBRIDOPS_GRAPH_CLIENT_ID,
    graphCredential: graphCredentialOf(values),
    graphUrl: values.HYBRIDOPS_GRAPH_URL ?? null,
    authorityHost: values.AZURE_AUTHORITY_HOST ?? null,
    relayAgentId: values.HYBRIDOPS_RELAY_AGENT_ID,
    orgDomain: values.HYBRIDOPS_ORG_DOMAIN,
    orgDc: values.HYBRIDOPS_ORG_DC,
    orgRunbook: values.HYBRIDOPS_ORG_RUNBOOK,
    testMailbox: values.HYBRIDOPS_TEST_MAILBOX ?? null,
  };
}

/** Checks Graph's JSON answers against the shapes hybridops relies on. */
import { z } from 'zod/v4';
import type { KeyCredential, ServicePrincipal } from '../core/entra';
import { GraphError } from './errors';

const keyCredentialSchema = z.object({
  keyId: z.string(),
  customKeyIdentifier: z.string().nullable().default(null),
  displayName: z.string().nullable().default(null),
  type: z.string(),
  usage: z.string(),
  key: z.string().nullable().default(null),
  startDateTime: z.string(),
  endDateTime: z.string(),
});

const servicePrincipalSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string().nullable().default(''),
  servicePrincipalNames: z.array(z.string()).default(() => []),
  keyCredentials: z.array(keyCredentialSchema).default(() => []),
});

const listSchema = z.object({ value: z.array(servicePrincipalSchema) });
const keysSchema = z.object({ keyCredentials: z.array(keyCredentialSchema) });

/** The service principal in a Graph object answer. */
export function parseServicePrincipal(body: unknown): ServicePrincipal {
  const sp = check(servicePrincipalSchema, body, 'servicePrincipal');
  return { ...sp, displayName: sp.displayName ?? '' };
}

/** The first service principal of a `value` list, or null when the list is empty. */
export function parseFirstServicePrincipal(body: unknown): ServicePrincipal | null {
  const first = check(listSchema, body, 'servicePrincipal list').value[0];
  return first === undefined ? null : { ...first, displayName: first.displayName ?? '' };
}

/** The keyCredentials of a `$select=keyCredentials` answer. */
export function parseKeyCredentials(body: unknown): KeyCredential[] {
  return check(keysSchema, body, 'keyCredentials').keyCredentials;
}

function check<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new GraphError(
    'GRAPH_BAD_RESPONSE',
    `Graph returned an unexpected ${what}: ${parsed.error.message}`,
    {
      status: 0,
      graphCode: null,
    },
  );
}

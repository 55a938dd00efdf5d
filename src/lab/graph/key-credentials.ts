/** What Entra does with a PATCHed `keyCredentials` collection: validate each key and fill what the certificate implies. */
import { randomUUID } from 'node:crypto';
import { isoSeconds } from '../../core/time';
import type { LabKeyCredential } from '../state';
import { GraphFault } from './http';
import { readUploadedCertificate } from './x509';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Graph's code for key credential validation failures (seen as `KeyCredentialsInvalidValue: KeyValue cannot be null or empty`).
const INVALID = 'KeyCredentialsInvalidValue';

/** Turns a PATCH body's `keyCredentials` into the stored collection (it replaces the old one whole). */
export function acceptKeyCredentials(input: unknown): LabKeyCredential[] {
  if (!Array.isArray(input)) {
    throw new GraphFault(
      400,
      'BadRequest',
      "The property 'keyCredentials' must be a collection of keyCredential.",
    );
  }
  const seen = new Set<string>();
  return input.map((item: unknown) => {
    const credential = acceptOne(item);
    const id = credential.keyId.toLowerCase();
    if (seen.has(id))
      throw new GraphFault(400, INVALID, `Duplicate keyId '${credential.keyId}' in keyCredentials.`);
    seen.add(id);
    return credential;
  });
}

function acceptOne(item: unknown): LabKeyCredential {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new GraphFault(400, 'BadRequest', 'Each keyCredentials entry must be a keyCredential object.');
  }
  const given = item as Record<string, unknown>;
  const type = optionalString(given, 'type');
  if (type !== 'AsymmetricX509Cert') {
    throw new GraphFault(
      400,
      INVALID,
      'The value for the property "type" in one of your credentials is invalid. Acceptable values are AsymmetricX509Cert.',
    );
  }
  const usage = optionalString(given, 'usage');
  if (usage !== 'Verify' && usage !== 'Sign') {
    throw new GraphFault(
      400,
      INVALID,
      'The value for the property "usage" in one of your credentials is invalid. Acceptable values are Sign, Verify.',
    );
  }
  // Graph never returns key bytes on list reads, so a client that echoes a listed key back sends null here.
  const key = optionalString(given, 'key');
  if (key === null || key === '') throw new GraphFault(400, INVALID, 'KeyValue cannot be null or empty');
  const cert = readUploadedCertificate(key);
  if (cert === null)
    throw new GraphFault(400, INVALID, 'Invalid certificate: Key value is invalid certificate');

  const keyId = optionalString(given, 'keyId') ?? randomUUID();
  if (!GUID.test(keyId)) throw new GraphFault(400, INVALID, `The keyId '${keyId}' is not a valid GUID.`);
  return {
    keyId,
    customKeyIdentifier: optionalString(given, 'customKeyIdentifier') ?? cert.thumbprint,
    displayName: optionalString(given, 'displayName') ?? cert.subject,
    type,
    usage,
    key: cert.derBase64,
    startDateTime: optionalDate(given, 'startDateTime') ?? cert.notBefore,
    endDateTime: optionalDate(given, 'endDateTime') ?? cert.notAfter,
  };
}

function optionalString(given: Record<string, unknown>, name: string): string | null {
  const value = given[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new GraphFault(400, 'BadRequest', `The value for the property '${name}' must be a string.`);
  }
  return value;
}

function optionalDate(given: Record<string, unknown>, name: string): string | null {
  const value = optionalString(given, name);
  if (value === null) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new GraphFault(
      400,
      'BadRequest',
      `Cannot convert the literal '${value}' to the expected type 'Edm.DateTimeOffset'.`,
    );
  }
  return isoSeconds(date);
}

/** Keys as Graph returns them: `key` only on a single-object read that selected keyCredentials, else null. */
export function keyCredentialsView(
  keys: readonly LabKeyCredential[],
  withKeys: boolean,
): Record<string, unknown>[] {
  return keys.map((k) => ({
    customKeyIdentifier: k.customKeyIdentifier,
    displayName: k.displayName,
    endDateTime: k.endDateTime,
    key: withKeys ? k.key : null,
    keyId: k.keyId,
    startDateTime: k.startDateTime,
    type: k.type,
    usage: k.usage,
  }));
}

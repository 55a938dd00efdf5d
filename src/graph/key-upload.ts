/** The seed's UploadAuthCert.ps1 decision, as a pure function, and the PATCH body it leads to. */

import type { AuthCertificate, KeyCredential, KeyUploadPlan } from '../core/entra';
import { GraphError } from './errors';

/** A keyCredential as sent in a PATCH: Graph fills keyId, dates, thumbprint and display name from the key. */
export interface KeyCredentialPatch {
  readonly type: string;
  readonly usage: string;
  /** Base64 DER of the certificate. */
  readonly key: string;
  readonly keyId?: string;
  readonly customKeyIdentifier?: string;
  readonly displayName?: string;
}

export interface KeyCredentialsPatchBody {
  readonly keyCredentials: readonly KeyCredentialPatch[];
}

/** Decides what uploading `certificate` does to a service principal that holds `existing` keys. */
export function planKeyUpload(
  existing: readonly KeyCredential[],
  certificate: Pick<AuthCertificate, 'thumbprint' | 'subject'>,
  now: Date,
): KeyUploadPlan {
  const thumbprint = certificate.thumbprint;
  if (existing.length === 0) {
    return {
      change: 'create',
      keep: [],
      drop: [],
      add: true,
      reason: `This is the first key which will be added to this service principal (thumbprint ${thumbprint}).`,
    };
  }
  // Like the script, the thumbprint is looked for among all keys, expired ones included, before expiry is considered.
  const present = existing.some(
    (k) => (k.customKeyIdentifier ?? '').toUpperCase() === thumbprint.toUpperCase(),
  );
  if (present) {
    return {
      change: 'none',
      keep: [...existing],
      drop: [],
      add: false,
      reason: `The key with thumbprint ${thumbprint} (${certificate.subject}) already exists and will not be uploaded again.`,
    };
  }
  // The script drops a key when EndDateTime < now; a key ending exactly now is still kept.
  const drop = existing.filter((k) => Date.parse(k.endDateTime) < now.getTime());
  const keep = existing.filter((k) => !drop.includes(k));
  return {
    change: 'update',
    keep,
    drop,
    add: true,
    reason:
      `${existing.length} existing key(s) found: keeping ${keep.length} unexpired, dropping ${drop.length} expired, ` +
      `adding the key with thumbprint ${thumbprint} (${certificate.subject}).`,
  };
}

/** The certificate as a new keyCredential, the way the script sends it. */
export function newKeyCredential(certificate: AuthCertificate): KeyCredentialPatch {
  return { type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate.derBase64 };
}

/**
 * The PATCH body for a plan that adds the certificate: the kept keys plus the new one. Graph replaces the whole
 * collection, so every kept key must carry its `key` bytes (read by id with `$select=keyCredentials`).
 */
export function buildKeyCredentialsPatch(
  plan: KeyUploadPlan,
  certificate: AuthCertificate,
): KeyCredentialsPatchBody {
  const kept = plan.keep.map(keptKeyCredential);
  return { keyCredentials: plan.add ? [...kept, newKeyCredential(certificate)] : kept };
}

/** A key that stays, as sent back in a PATCH; throws when its bytes were not read (list reads omit them). */
export function keptKeyCredential(k: KeyCredential): KeyCredentialPatch {
  if (k.key === null || k.key === '') {
    throw new GraphError(
      'GRAPH_KEY_BYTES_MISSING',
      `Key ${k.keyId} has no key bytes; read it by id with $select=keyCredentials first.`,
      { status: 0, graphCode: null },
    );
  }
  // keyId and identifiers are sent back so kept keys stay the same keys; type/usage are kept rather than
  // forced to AsymmetricX509Cert/Verify, so a foreign signing key would not be turned into a verify key.
  return {
    type: k.type,
    usage: k.usage,
    key: k.key,
    keyId: k.keyId,
    ...(k.customKeyIdentifier === null ? {} : { customKeyIdentifier: k.customKeyIdentifier }),
    ...(k.displayName === null ? {} : { displayName: k.displayName }),
  };
}

/** Checks a client assertion (the JWT MSAL signs with an app certificate) against the app's registered certificate. */
import { constants, createHash, verify, X509Certificate } from 'node:crypto';

export interface AssertionExpectation {
  readonly certificatePem: string;
  readonly clientId: string;
  /** The token endpoint URL: MSAL puts it in `aud`. */
  readonly audience: string;
}

/** Returns null when the assertion is valid, else why not. */
export function verifyClientAssertion(assertion: string, expected: AssertionExpectation): string | null {
  const [headerPart, payloadPart, signaturePart, ...rest] = assertion.split('.');
  if (
    headerPart === undefined ||
    payloadPart === undefined ||
    signaturePart === undefined ||
    rest.length > 0
  ) {
    return 'The assertion is not a JWT.';
  }
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'The assertion is not a JWT.';
  }
  const cert = new X509Certificate(expected.certificatePem);
  const thumbprintS256 = createHash('sha256').update(cert.raw).digest('base64url');
  const thumbprintS1 = createHash('sha1').update(cert.raw).digest('base64url');
  if (header['x5t#S256'] !== thumbprintS256 && header.x5t !== thumbprintS1) {
    return 'The key used to sign the assertion is not registered for the application.';
  }
  const padding =
    header.alg === 'PS256'
      ? constants.RSA_PKCS1_PSS_PADDING
      : header.alg === 'RS256'
        ? constants.RSA_PKCS1_PADDING
        : null;
  if (padding === null) return `Unsupported signing algorithm '${String(header.alg)}'.`;
  const ok = verify(
    'sha256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    { key: cert.publicKey, padding, saltLength: 32 },
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!ok) return 'The signature does not match.';
  if (payload.iss !== expected.clientId || payload.sub !== expected.clientId) {
    return 'The issuer and subject must be the client ID.';
  }
  // Lifetime is not checked: MSAL stamps the assertion with the host clock while the lab runs on an injected one.
  return payload.aud === expected.audience ? null : `The audience must be '${expected.audience}'.`;
}

/** Reads the certificate behind a keyCredential's `key`, as Entra does when a key is uploaded. */
import { createHash, X509Certificate } from 'node:crypto';
import { isoSeconds } from '../../core/time';

export interface UploadedCertificate {
  /** Canonical base64 of the DER bytes. */
  readonly derBase64: string;
  /** SHA-1 of the DER, upper-case hex: what Entra stores as customKeyIdentifier. */
  readonly thumbprint: string;
  /** `.NET`-style subject, e.g. `CN=Microsoft Exchange Server Auth Certificate`. */
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses a base64 `key` into its certificate, or null when it is not an X.509 certificate. */
export function readUploadedCertificate(key: string): UploadedCertificate | null {
  const der = decodeBase64(key);
  if (der === null) return null;
  const direct = parse(der);
  if (direct !== null) return direct;
  // Graph PowerShell serialises a byte[] as base64; the seed script passes ASCII bytes of the base64 text,
  // so the key arrives base64-encoded twice and Entra still accepts it.
  const inner = decodeBase64(der.toString('latin1'));
  return inner === null ? null : parse(inner);
}

function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

function parse(der: Buffer): UploadedCertificate | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return null;
  }
  return {
    derBase64: der.toString('base64'),
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    // Node lists RDNs one per line, most significant first; .NET (and so Entra) prints them reversed, comma-separated.
    subject: cert.subject.split('\n').reverse().join(', '),
    notBefore: isoSeconds(new Date(cert.validFrom)),
    notAfter: isoSeconds(new Date(cert.validTo)),
  };
}

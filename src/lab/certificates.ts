/** Real X.509 auth certificates for the simulated org, and parsing of uploaded ones. */
import 'reflect-metadata';
import { createHash, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { isoSeconds } from '../core/time';

export const DEFAULT_AUTH_CERT_SUBJECT = 'CN=Microsoft Exchange Server Auth Certificate';

/** The public facts about a certificate, as Exchange and Entra show them. */
export interface CertificateInfo {
  /** SHA-1 of the DER bytes, upper-case hex. */
  readonly thumbprint: string;
  readonly subject: string;
  /** ISO-8601, second precision. */
  readonly notBefore: string;
  /** ISO-8601, second precision. */
  readonly notAfter: string;
}

/** A freshly made certificate with its key pair. */
export interface CreatedCertificate extends CertificateInfo {
  readonly derBase64: string;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
}

export interface CreateAuthCertificateOptions {
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subject?: string;
}

// Exchange's auth certificate is self-signed RSA 2048 with SHA-256.
const algorithm: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

/** Creates a self-signed RSA 2048 auth certificate whose validity matches the given dates to the second. */
export async function createAuthCertificate(
  options: CreateAuthCertificateOptions,
): Promise<CreatedCertificate> {
  const crypto = webcrypto as unknown as Crypto;
  const subject = normalizeSubject(options.subject ?? DEFAULT_AUTH_CERT_SUBJECT);
  // Certificates carry whole seconds; truncating first keeps the returned dates identical to the encoded ones.
  const notBefore = new Date(isoSeconds(options.notBefore));
  const notAfter = new Date(isoSeconds(options.notAfter));

  const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: subject,
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );

  const der = Buffer.from(cert.rawData);
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    thumbprint: sha1Thumbprint(der),
    subject,
    notBefore: isoSeconds(notBefore),
    notAfter: isoSeconds(notAfter),
    derBase64: der.toString('base64'),
    privateKeyPem: toPem('PRIVATE KEY', pkcs8),
  };
}

/** Upper-cases attribute names (`cn=x` → `CN=x`), as Windows displays a subject whatever case it was given in. */
export function normalizeSubject(subject: string): string {
  return subject
    .trim()
    .replace(
      /(^|,\s*)([A-Za-z][A-Za-z0-9]*)\s*=/g,
      (_m, sep: string, key: string) => `${sep}${key.toUpperCase()}=`,
    );
}

/** Reads thumbprint, subject and validity from a base64 DER certificate (e.g. an uploaded key). */
export function certificateFromDer(derBase64: string): CertificateInfo {
  const der = Buffer.from(derBase64, 'base64');
  const cert = new X509Certificate(der);
  return {
    thumbprint: sha1Thumbprint(der),
    // Node prints one RDN per line in encoded order; joining with ", " gives the familiar one-line form.
    subject: cert.subject.split('\n').join(', '),
    notBefore: isoSeconds(parseOpenSslDate(cert.validFrom)),
    notAfter: isoSeconds(parseOpenSslDate(cert.validTo)),
  };
}

/** Wraps a base64 DER certificate in PEM armour. */
export function certificatePem(derBase64: string): string {
  return toPem('CERTIFICATE', Buffer.from(derBase64, 'base64'));
}

function sha1Thumbprint(der: Buffer): string {
  return createHash('sha1').update(der).digest('hex').toUpperCase();
}

function toPem(label: string, bytes: Buffer): string {
  const lines = bytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  // A leading zero bit keeps the DER INTEGER positive, as RFC 5280 requires.
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Node 20 only exposes validity as OpenSSL text ("Jan  1 00:00:00 2025 GMT"); parse it explicitly
// rather than trusting Date's lenient parser.
function parseOpenSslDate(text: string): Date {
  const match = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})\s+GMT$/.exec(text.trim());
  if (!match) throw new Error(`Unrecognised certificate date: ${text}`);
  const [, mon, day, hh, mm, ss, year] = match;
  const month = MONTHS.indexOf(mon ?? '');
  return new Date(Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss)));
}

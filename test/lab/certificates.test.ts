import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import {
  certificateFromDer,
  createAuthCertificate,
  DEFAULT_AUTH_CERT_SUBJECT,
} from '../../src/lab/certificates';

describe('auth certificates', () => {
  const notBefore = new Date('2025-01-01T08:30:15.789Z');
  const notAfter = new Date('2030-01-01T08:30:15.123Z');

  it('uses the SHA-1 of the DER bytes, upper-case hex, as the thumbprint', async () => {
    const cert = await createAuthCertificate({ notBefore, notAfter });
    const der = Buffer.from(cert.derBase64, 'base64');
    expect(cert.thumbprint).toBe(createHash('sha1').update(der).digest('hex').toUpperCase());
    expect(cert.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it('encodes validity dates that match the requested ones to the second', async () => {
    const cert = await createAuthCertificate({ notBefore, notAfter });
    expect(cert.notBefore).toBe('2025-01-01T08:30:15Z');
    expect(cert.notAfter).toBe('2030-01-01T08:30:15Z');
    const parsed = new X509Certificate(Buffer.from(cert.derBase64, 'base64'));
    expect(new Date(parsed.validFrom).toISOString()).toBe('2025-01-01T08:30:15.000Z');
    expect(new Date(parsed.validTo).toISOString()).toBe('2030-01-01T08:30:15.000Z');
  });

  it('is a self-signed RSA 2048 certificate with the Exchange auth subject by default', async () => {
    const cert = await createAuthCertificate({ notBefore, notAfter });
    const parsed = new X509Certificate(Buffer.from(cert.derBase64, 'base64'));
    expect(cert.subject).toBe(DEFAULT_AUTH_CERT_SUBJECT);
    expect(parsed.subject).toBe('CN=Microsoft Exchange Server Auth Certificate');
    expect(parsed.issuer).toBe(parsed.subject);
    expect(parsed.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(parsed.verify(parsed.publicKey)).toBe(true);
  });

  it('returns a PKCS#8 private key that matches the certificate', async () => {
    const cert = await createAuthCertificate({ notBefore, notAfter });
    const parsed = new X509Certificate(Buffer.from(cert.derBase64, 'base64'));
    expect(cert.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(parsed.checkPrivateKey(createPrivateKey(cert.privateKeyPem))).toBe(true);
  });

  it('reads back thumbprint, subject and validity from the DER of an uploaded certificate', async () => {
    const cert = await createAuthCertificate({ notBefore, notAfter, subject: 'CN=Lab Upload Test' });
    expect(certificateFromDer(cert.derBase64)).toEqual({
      thumbprint: cert.thumbprint,
      subject: 'CN=Lab Upload Test',
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
    });
  });
});

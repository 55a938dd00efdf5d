import type { AuthCertificate, KeyCredential } from '../../src/core/entra';
import type { GraphError } from '../../src/graph/errors';
import { buildKeyCredentialsPatch, planKeyUpload } from '../../src/graph/key-upload';

const NOW = new Date('2026-03-01T12:00:00Z');

const certificate: AuthCertificate = {
  thumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
  subject: 'CN=Microsoft Exchange Server Auth Certificate',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2031-01-01T00:00:00.000Z',
  derBase64: 'TkVXLUNFUlQ=',
};

function key(
  keyId: string,
  customKeyIdentifier: string,
  endDateTime: string,
  keyBytes: string | null = null,
): KeyCredential {
  return {
    keyId,
    customKeyIdentifier,
    displayName: 'CN=Microsoft Exchange Server Auth Certificate',
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: keyBytes,
    startDateTime: '2020-01-01T00:00:00Z',
    endDateTime,
  };
}

describe('planKeyUpload', () => {
  it('adds the certificate as the first key when the service principal has no keys', () => {
    const plan = planKeyUpload([], certificate, NOW);

    expect(plan).toMatchObject({ change: 'create', keep: [], drop: [], add: true });
    expect(plan.reason).toContain('first key');
  });

  it('keeps unexpired keys, drops expired ones and adds the certificate when its thumbprint is new', () => {
    const expired = key('k-old', '1111111111111111111111111111111111111111', '2025-06-30T00:00:00Z');
    const unexpired = key('k-live', '2222222222222222222222222222222222222222', '2027-06-30T00:00:00Z');

    const plan = planKeyUpload([expired, unexpired], certificate, NOW);

    expect(plan.change).toBe('update');
    expect(plan.keep).toEqual([unexpired]);
    expect(plan.drop).toEqual([expired]);
    expect(plan.add).toBe(true);
    expect(plan.reason).toBe(
      `2 existing key(s) found: keeping 1 unexpired, dropping 1 expired, adding the key with thumbprint ${certificate.thumbprint} (${certificate.subject}).`,
    );
  });

  it('keeps a key that ends exactly now, because the script only drops keys that ended before now', () => {
    const endingNow = key('k-edge', '3333333333333333333333333333333333333333', NOW.toISOString());

    const plan = planKeyUpload([endingNow], certificate, NOW);

    expect(plan.keep).toEqual([endingNow]);
    expect(plan.drop).toEqual([]);
  });

  it('changes nothing when the thumbprint already is a customKeyIdentifier', () => {
    const existing = [key('k-same', certificate.thumbprint, '2031-01-01T00:00:00Z')];

    const plan = planKeyUpload(existing, certificate, NOW);

    expect(plan).toMatchObject({ change: 'none', add: false, drop: [], keep: existing });
    expect(plan.reason).toContain('already exists and will not be uploaded again');
  });

  it('matches the thumbprint case-insensitively', () => {
    const existing = [key('k-lower', certificate.thumbprint.toLowerCase(), '2031-01-01T00:00:00Z')];

    expect(planKeyUpload(existing, certificate, NOW).change).toBe('none');
  });

  it('finds the thumbprint among expired keys too, as the script checks it before the expiry', () => {
    const existing = [key('k-expired-same', certificate.thumbprint, '2025-01-01T00:00:00Z')];

    expect(planKeyUpload(existing, certificate, NOW).change).toBe('none');
  });
});

describe('buildKeyCredentialsPatch', () => {
  it('sends the kept keys with their bytes and the certificate as an AsymmetricX509Cert Verify key', () => {
    const kept = key(
      'k-live',
      '2222222222222222222222222222222222222222',
      '2027-06-30T00:00:00Z',
      'S0VQVA==',
    );
    const plan = planKeyUpload([kept], certificate, NOW);

    expect(buildKeyCredentialsPatch(plan, certificate)).toEqual({
      keyCredentials: [
        {
          type: 'AsymmetricX509Cert',
          usage: 'Verify',
          key: 'S0VQVA==',
          keyId: 'k-live',
          customKeyIdentifier: '2222222222222222222222222222222222222222',
          displayName: 'CN=Microsoft Exchange Server Auth Certificate',
        },
        { type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate.derBase64 },
      ],
    });
  });

  it('refuses to write back a kept key that was read without its bytes', () => {
    const plan = planKeyUpload([key('k-live', 'X', '2027-06-30T00:00:00Z', null)], certificate, NOW);

    expect(() => buildKeyCredentialsPatch(plan, certificate)).toThrow(
      expect.objectContaining({ code: 'GRAPH_KEY_BYTES_MISSING' }) as GraphError,
    );
  });
});

import { createTestCertificate, storedKeyCredential } from './fixtures/certificates';
import { LAB_NOW } from './fixtures/lab';
import { SEED_APP_IDS, servicePrincipal } from './fixtures/lab-state';
import { useLabWithOneKey } from './fixtures/one-key-lab';

const APP = SEED_APP_IDS.cloudVoicemail;
const SP_ID = servicePrincipal(APP).id;
const year = 365 * 24 * 3600 * 1000;

const ctx = useLabWithOneKey(APP);
const json = () => ({ ...ctx.auth(), 'content-type': 'application/json' });

describe('lab Graph server: PATCH keyCredentials', () => {
  it('fills thumbprint, subject, validity and a keyId from the certificate, persisting before the 204', async () => {
    const other = await createTestCertificate({
      notBefore: LAB_NOW,
      notAfter: new Date(LAB_NOW.getTime() + 2 * year),
    });
    const body = {
      keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: other.authCertificate.derBase64 }],
    };

    const answer = await ctx.lab.raw(`v1.0/servicePrincipals/${SP_ID}`, {
      method: 'PATCH',
      headers: json(),
      body: JSON.stringify(body),
    });

    expect(answer.status).toBe(204);
    expect(ctx.lab.persists()).toBe(1);
    expect(ctx.lab.state.tenant.servicePrincipals[0]?.keyCredentials).toEqual([
      {
        keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        customKeyIdentifier: other.authCertificate.thumbprint,
        displayName: 'CN=Microsoft Exchange Server Auth Certificate',
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: other.authCertificate.derBase64,
        startDateTime: other.authCertificate.notBefore.replace('.000Z', 'Z'),
        endDateTime: other.authCertificate.notAfter.replace('.000Z', 'Z'),
      },
    ]);
  });

  it('accepts the key base64-encoded twice, as the seed script sends it through Graph PowerShell', async () => {
    const twice = Buffer.from(ctx.cert.authCertificate.derBase64, 'ascii').toString('base64');
    const body = { keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: twice }] };

    const answer = await ctx.lab.raw(`v1.0/servicePrincipals/${SP_ID}`, {
      method: 'PATCH',
      headers: json(),
      body: JSON.stringify(body),
    });

    expect(answer.status).toBe(204);
    expect(ctx.lab.state.tenant.servicePrincipals[0]?.keyCredentials[0]?.key).toBe(
      ctx.cert.authCertificate.derBase64,
    );
  });

  it('rejects an existing key given back without its key bytes, leaving the keys untouched', async () => {
    const before = structuredClone(ctx.lab.state.tenant.servicePrincipals[0]?.keyCredentials);
    const listed = {
      ...storedKeyCredential(ctx.cert.authCertificate, '0f0e0d0c-0b0a-4909-8807-060504030201'),
      key: null,
    };

    const answer = await ctx.lab.raw(`v1.0/servicePrincipals/${SP_ID}`, {
      method: 'PATCH',
      headers: json(),
      body: JSON.stringify({ keyCredentials: [listed] }),
    });

    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: { code: 'KeyCredentialsInvalidValue', message: 'KeyValue cannot be null or empty' },
    });
    expect(ctx.lab.state.tenant.servicePrincipals[0]?.keyCredentials).toEqual(before);
    expect(ctx.lab.persists()).toBe(0);
  });

  it('rejects a key that is not a certificate', async () => {
    const body = {
      keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: 'bm90IGEgY2VydA==' }],
    };

    const answer = await ctx.lab.raw(`v1.0/servicePrincipals/${SP_ID}`, {
      method: 'PATCH',
      headers: json(),
      body: JSON.stringify(body),
    });

    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: {
        code: 'KeyCredentialsInvalidValue',
        message: 'Invalid certificate: Key value is invalid certificate',
      },
    });
  });
});

describe('lab Graph server: $batch', () => {
  it('answers each inner request with its own status and logs them under the one $batch', async () => {
    const answer = await ctx.lab.raw('v1.0/$batch', {
      method: 'POST',
      headers: json(),
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: `/servicePrincipals/${SP_ID}?$select=id` },
          { id: '2', method: 'GET', url: '/servicePrincipals/missing' },
        ],
      }),
    });

    expect(answer.status).toBe(200);
    expect(
      (answer.json as { responses: { id: string; status: number }[] }).responses.map((r) => [r.id, r.status]),
    ).toEqual([
      ['1', 200],
      ['2', 404],
    ]);
    expect(ctx.lab.state.tenant.requestLog.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `GET /v1.0/$batch#1/servicePrincipals/${SP_ID}?$select=id 200`,
      'GET /v1.0/$batch#2/servicePrincipals/missing 404',
      'POST /v1.0/$batch 200',
    ]);
  });

  it('refuses more than 20 requests in one batch', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: `/servicePrincipals/${SP_ID}`,
    }));

    const answer = await ctx.lab.raw('v1.0/$batch', {
      method: 'POST',
      headers: json(),
      body: JSON.stringify({ requests }),
    });

    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'BadRequest' } });
  });

  it('throttles inner requests with 429 and Retry-After when a throttle fault is set', async () => {
    ctx.lab.server.faults.throttle(1, 7);

    const answer = await ctx.lab.raw('v1.0/$batch', {
      method: 'POST',
      headers: json(),
      body: JSON.stringify({
        requests: [
          { id: 'a', method: 'GET', url: `/servicePrincipals/${SP_ID}?$select=id` },
          { id: 'b', method: 'GET', url: `/servicePrincipals/${SP_ID}?$select=id` },
        ],
      }),
    });

    const [first, second] = (
      answer.json as { responses: { status: number; headers: Record<string, string>; body: unknown }[] }
    ).responses;
    expect(first).toMatchObject({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { code: 'TooManyRequests' } },
    });
    expect(second?.status).toBe(200);
  });
});

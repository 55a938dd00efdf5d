import { storedKeyCredential } from './fixtures/certificates';
import { LAB_NOW } from './fixtures/lab';
import { SEED_APP_IDS, servicePrincipal } from './fixtures/lab-state';
import { useLabWithOneKey } from './fixtures/one-key-lab';

const APP = SEED_APP_IDS.cloudVoicemail;
const SP_ID = servicePrincipal(APP).id;

const ctx = useLabWithOneKey(APP);
const filter = (f: string) =>
  `v1.0/servicePrincipals?$filter=${encodeURIComponent(f)}&$select=id,keyCredentials`;

describe('lab Graph server: authentication', () => {
  it('answers 401 InvalidAuthenticationToken in Graph error shape when no token is sent', async () => {
    const answer = await ctx.lab.raw(`v1.0/servicePrincipals/${SP_ID}`);

    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({
      error: {
        code: 'InvalidAuthenticationToken',
        message: 'Access token is empty.',
        innerError: {
          date: '2026-03-01T12:00:00',
          'request-id': expect.any(String),
          'client-request-id': expect.any(String),
        },
      },
    });
    expect(ctx.lab.state.tenant.requestLog).toEqual([
      { at: LAB_NOW.toISOString(), method: 'GET', path: `/v1.0/servicePrincipals/${SP_ID}`, status: 401 },
    ]);
  });

  it('answers 401 to a token whose signature was tampered with', async () => {
    const answer = await ctx.lab.raw(`v1.0/servicePrincipals/${SP_ID}`, {
      headers: { authorization: `Bearer ${ctx.token}x` },
    });

    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
  });

  it('refuses a wrong client secret with 401 invalid_client and the AADSTS7000215 text', async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: ctx.lab.server.clientId,
      client_secret: 'wrong',
      scope: 'https://graph.microsoft.com/.default',
    });
    const answer = await ctx.lab.raw(`${ctx.lab.server.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: form.toString(),
    });

    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({
      error: 'invalid_client',
      error_codes: [7000215],
      error_description: expect.stringMatching(/^AADSTS7000215: Invalid client secret provided\./),
    });
  });
});

describe('lab Graph server: reads', () => {
  it('returns key null on a $filter list read even when keyCredentials is selected', async () => {
    const answer = await ctx.lab.raw(filter(`appId eq '${APP}'`), { headers: ctx.auth() });

    expect(answer.status).toBe(200);
    const value = (answer.json as { value: { keyCredentials: { key: unknown }[] }[] }).value;
    expect(value[0]?.keyCredentials[0]?.key).toBeNull();
  });

  it('returns the key bytes on GET by id with $select=keyCredentials, and only then', async () => {
    const selected = await ctx.lab.raw(`v1.0/servicePrincipals/${SP_ID}?$select=keyCredentials`, {
      headers: ctx.auth(),
    });
    const unselected = await ctx.lab.raw(`v1.0/servicePrincipals/${SP_ID}`, { headers: ctx.auth() });

    expect(selected.json).toEqual({
      '@odata.context':
        'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(keyCredentials)/$entity',
      keyCredentials: [storedKeyCredential(ctx.cert.authCertificate, '0f0e0d0c-0b0a-4909-8807-060504030201')],
    });
    expect((unselected.json as { keyCredentials: { key: unknown }[] }).keyCredentials[0]?.key).toBeNull();
  });

  it('matches the seed script\'s "AppId eq" filter case-insensitively', async () => {
    const answer = await ctx.lab.raw(filter(`AppId eq '${APP.toUpperCase()}'`), { headers: ctx.auth() });

    expect((answer.json as { value: unknown[] }).value).toHaveLength(1);
  });

  it('answers 404 Request_ResourceNotFound for an unknown id', async () => {
    const answer = await ctx.lab.raw('v1.0/servicePrincipals/00000000-0000-0000-0000-000000000000', {
      headers: ctx.auth(),
    });

    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({
      error: {
        code: 'Request_ResourceNotFound',
        message:
          "Resource '00000000-0000-0000-0000-000000000000' does not exist or one of its queried reference-property objects are not present.",
      },
    });
  });

  it('answers 400 to a malformed $filter and to a filter on an unsupported property', async () => {
    const malformed = await ctx.lab.raw(filter('appId eq'), { headers: ctx.auth() });
    const unsupported = await ctx.lab.raw(filter("notes eq 'x'"), { headers: ctx.auth() });

    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({
      error: { code: 'BadRequest', message: expect.stringContaining('Invalid filter clause') },
    });
    expect(unsupported.status).toBe(400);
    expect(unsupported.json).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
  });
});

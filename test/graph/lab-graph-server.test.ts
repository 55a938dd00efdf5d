import { createTestCertificate, storedKeyCredential, type TestCertificate } from './fixtures/certificates';
import { LAB_NOW, type RunningLab, startLab } from './fixtures/lab';
import { SEED_APP_IDS, servicePrincipal } from './fixtures/lab-state';

const APP = SEED_APP_IDS.cloudVoicemail;
const SP_ID = servicePrincipal(APP).id;
const year = 365 * 24 * 3600 * 1000;

let lab: RunningLab;
let cert: TestCertificate;
let token: string;

beforeAll(async () => {
  cert = await createTestCertificate({
    notBefore: new Date(LAB_NOW.getTime() - year),
    notAfter: new Date(LAB_NOW.getTime() + year),
  });
});

beforeEach(async () => {
  lab = await startLab([
    servicePrincipal(APP, {
      keyCredentials: [storedKeyCredential(cert.authCertificate, '0f0e0d0c-0b0a-4909-8807-060504030201')],
    }),
  ]);
  token = await lab.token();
});

afterEach(async () => {
  await lab.close();
});

const auth = () => ({ authorization: `Bearer ${token}` });
const filter = (f: string) =>
  `v1.0/servicePrincipals?$filter=${encodeURIComponent(f)}&$select=id,keyCredentials`;

describe('lab Graph server: authentication', () => {
  it('answers 401 InvalidAuthenticationToken in Graph error shape when no token is sent', async () => {
    const answer = await lab.raw(`v1.0/servicePrincipals/${SP_ID}`);

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
    expect(lab.state.tenant.requestLog).toEqual([
      { at: LAB_NOW.toISOString(), method: 'GET', path: `/v1.0/servicePrincipals/${SP_ID}`, status: 401 },
    ]);
  });

  it('answers 401 to a token whose signature was tampered with', async () => {
    const answer = await lab.raw(`v1.0/servicePrincipals/${SP_ID}`, {
      headers: { authorization: `Bearer ${token}x` },
    });

    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
  });

  it('refuses a wrong client secret with 401 invalid_client and the AADSTS7000215 text', async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: lab.server.clientId,
      client_secret: 'wrong',
      scope: 'https://graph.microsoft.com/.default',
    });
    const answer = await lab.raw(`${lab.server.tenantId}/oauth2/v2.0/token`, {
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
    const answer = await lab.raw(filter(`appId eq '${APP}'`), { headers: auth() });

    expect(answer.status).toBe(200);
    const value = (answer.json as { value: { keyCredentials: { key: unknown }[] }[] }).value;
    expect(value[0]?.keyCredentials[0]?.key).toBeNull();
  });

  it('returns the key bytes on GET by id with $select=keyCredentials, and only then', async () => {
    const selected = await lab.raw(`v1.0/servicePrincipals/${SP_ID}?$select=keyCredentials`, {
      headers: auth(),
    });
    const unselected = await lab.raw(`v1.0/servicePrincipals/${SP_ID}`, { headers: auth() });

    expect(selected.json).toEqual({
      '@odata.context':
        'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(keyCredentials)/$entity',
      keyCredentials: [storedKeyCredential(cert.authCertificate, '0f0e0d0c-0b0a-4909-8807-060504030201')],
    });
    expect((unselected.json as { keyCredentials: { key: unknown }[] }).keyCredentials[0]?.key).toBeNull();
  });

  it('matches the seed script\'s "AppId eq" filter case-insensitively', async () => {
    const answer = await lab.raw(filter(`AppId eq '${APP.toUpperCase()}'`), { headers: auth() });

    expect((answer.json as { value: unknown[] }).value).toHaveLength(1);
  });

  it('answers 404 Request_ResourceNotFound for an unknown id', async () => {
    const answer = await lab.raw('v1.0/servicePrincipals/00000000-0000-0000-0000-000000000000', {
      headers: auth(),
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
    const malformed = await lab.raw(filter('appId eq'), { headers: auth() });
    const unsupported = await lab.raw(filter("notes eq 'x'"), { headers: auth() });

    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({
      error: { code: 'BadRequest', message: expect.stringContaining('Invalid filter clause') },
    });
    expect(unsupported.status).toBe(400);
    expect(unsupported.json).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
  });
});

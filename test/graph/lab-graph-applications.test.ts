import { exchangeOnlineAppRoles } from '../../src/lab/exchange-online-roles';
import { createTestCertificate, type TestCertificate } from './fixtures/certificates';
import { LAB_NOW, type RunningLab, startLab } from './fixtures/lab';
import { servicePrincipal } from './fixtures/lab-state';

const EXO = '00000002-0000-0ff1-ce00-000000000000';
const FULL_ACCESS = 'dc890d15-9560-4a4c-9b7f-a736ec74ec40';
const NAME = 'ExchangeServerApp-0b7b3c0e-4f6e-4d7a-9a51-3f2a1c9e8d70';
const YEAR = 365 * 24 * 3600 * 1000;

let lab: RunningLab;
let token: string;
let cert: TestCertificate;

beforeAll(async () => {
  cert = await createTestCertificate({ notBefore: LAB_NOW, notAfter: new Date(LAB_NOW.getTime() + YEAR) });
});
beforeEach(async () => {
  lab = await startLab([servicePrincipal(EXO, { appRoles: exchangeOnlineAppRoles() })]);
  token = await lab.token();
});
afterEach(() => lab.close());

const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const call = (path: string, method = 'GET', body?: unknown) =>
  lab.raw(`v1.0/${path}`, {
    method,
    headers: headers(),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function createApp(): Promise<{ id: string; appId: string }> {
  const answer = await call('applications', 'POST', { displayName: NAME, signInAudience: 'AzureADMyOrg' });
  expect(answer.status).toBe(201);
  return answer.json as { id: string; appId: string };
}

async function createPrincipal(appId: string): Promise<{ id: string }> {
  const answer = await call('servicePrincipals', 'POST', { appId, accountEnabled: true });
  expect(answer.status).toBe(201);
  return answer.json as { id: string };
}

/** A full_access_as_app grant to the service principal `principalId`, as the lab Graph answers it. */
const grantOf = (principalId: string, resourceId: string) => ({
  id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
  deletedDateTime: null,
  appRoleId: FULL_ACCESS,
  createdDateTime: '2026-03-01T12:00:00Z',
  principalDisplayName: NAME,
  principalId,
  principalType: 'ServicePrincipal',
  resourceDisplayName: `App ${EXO.slice(0, 8)}`,
  resourceId,
});

describe('lab Graph server: applications', () => {
  it("creates a single-tenant application with Graph's 201 body and finds it by display name", async () => {
    const app = await createApp();
    expect(app).toMatchObject({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications/$entity',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      appId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      displayName: NAME,
      signInAudience: 'AzureADMyOrg',
      createdDateTime: '2026-03-01T12:00:00Z',
      keyCredentials: [],
      requiredResourceAccess: [],
      tags: [],
    });
    expect(lab.persists()).toBe(1);
    const found = await call(
      `applications?$filter=${encodeURIComponent(`displayName eq '${NAME.toUpperCase()}'`)}&$select=id,appId`,
    );
    expect(found.json).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications(id,appId)',
      value: [{ id: app.id, appId: app.appId }],
    });
  });

  it('takes keyCredentials with their key bytes and the permissions it asks for, answering 204', async () => {
    const app = await createApp();
    const requiredResourceAccess = [
      { resourceAppId: EXO, resourceAccess: [{ id: FULL_ACCESS, type: 'Role' }] },
    ];
    const keyCredentials = [
      { type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.authCertificate.derBase64 },
    ];
    expect(
      (await call(`applications/${app.id}`, 'PATCH', { requiredResourceAccess, keyCredentials })).status,
    ).toBe(204);

    const byAppId = await call(
      `applications(appId='${app.appId}')?$select=keyCredentials,requiredResourceAccess`,
    );
    expect(byAppId.json).toMatchObject({
      requiredResourceAccess,
      keyCredentials: [
        {
          customKeyIdentifier: cert.authCertificate.thumbprint,
          key: cert.authCertificate.derBase64,
          endDateTime: cert.authCertificate.notAfter.replace('.000Z', 'Z'),
        },
      ],
    });
    const listed = await call(`applications?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}`);
    expect(
      (listed.json as { value: { keyCredentials: { key: unknown }[] }[] }).value[0]?.keyCredentials[0]?.key,
    ).toBeNull();
  });

  it('refuses a malformed permission with Request_BadRequest, an unknown application with 404', async () => {
    const app = await createApp();
    const bad = await call(`applications/${app.id}`, 'PATCH', {
      requiredResourceAccess: [
        { resourceAppId: EXO, resourceAccess: [{ id: FULL_ACCESS, type: 'Application' }] },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      error: { code: 'Request_BadRequest', message: 'One or more properties are invalid.' },
    });
    const missing = await call('applications/11111111-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { code: 'Request_ResourceNotFound' } });
  });
});

describe('lab Graph server: service principals and app role assignments', () => {
  it("creates the application's service principal once, then takes its tags in a PATCH", async () => {
    const app = await createApp();
    const sp = await createPrincipal(app.appId);
    expect(sp).toMatchObject({ appId: app.appId, displayName: NAME, accountEnabled: true, tags: [] });
    const tags = ['WindowsAzureActiveDirectoryIntegratedApp', 'HideApp'];
    expect((await call(`servicePrincipals/${sp.id}`, 'PATCH', { tags })).status).toBe(204);
    expect((await call(`servicePrincipals/${sp.id}?$select=tags`)).json).toMatchObject({ tags });

    const again = await call('servicePrincipals', 'POST', { appId: app.appId });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'Request_MultipleObjectsWithSameKeyValue' } });
    const orphan = await call('servicePrincipals', 'POST', { appId: '11111111-2222-3333-4444-555555555555' });
    expect(orphan.status).toBe(400);
  });

  it("lists Exchange Online's app roles so full_access_as_app can be resolved by value", async () => {
    const answer = await call(`servicePrincipals(appId='${EXO}')?$select=id,appRoles`);
    expect((answer.json as { appRoles: unknown[] }).appRoles).toEqual([
      expect.objectContaining({
        value: 'full_access_as_app',
        id: FULL_ACCESS,
        allowedMemberTypes: ['Application'],
      }),
    ]);
  });

  it("grants an app role once with Graph's 201 body, and says so when granted again", async () => {
    const app = await createApp();
    const client = await createPrincipal(app.appId);
    const resourceId = servicePrincipal(EXO).id;
    const body = { principalId: client.id, resourceId, appRoleId: FULL_ACCESS };
    const granted = await call(`servicePrincipals/${client.id}/appRoleAssignments`, 'POST', body);
    expect(granted.status).toBe(201);
    expect(granted.json).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#appRoleAssignments/$entity',
      ...grantOf(client.id, resourceId),
    });
    const twice = await call(`servicePrincipals/${client.id}/appRoleAssignments`, 'POST', body);
    expect(twice.status).toBe(400);
    expect(twice.json).toMatchObject({
      error: {
        code: 'Request_BadRequest',
        message: 'Permission being assigned already exists on the object',
      },
    });
    const listed = await call(`servicePrincipals/${client.id}/appRoleAssignments`);
    expect((listed.json as { value: unknown[] }).value).toHaveLength(1);
  });

  it("expands the grants on a $filter list and on one service principal, in Graph's shape, 20 at most", async () => {
    const app = await createApp();
    const client = await createPrincipal(app.appId);
    const resourceId = servicePrincipal(EXO).id;
    await call(`servicePrincipals/${client.id}/appRoleAssignments`, 'POST', {
      principalId: client.id,
      resourceId,
      appRoleId: FULL_ACCESS,
    });
    const grant = grantOf(client.id, resourceId);
    const listed = await call(
      `servicePrincipals?$filter=${encodeURIComponent(`displayName eq '${NAME}'`)}&$select=id,appId,displayName&$expand=appRoleAssignments`,
    );
    expect(listed.status).toBe(200);
    expect((listed.json as { value: unknown[] }).value).toEqual([
      { id: client.id, appId: app.appId, displayName: NAME, appRoleAssignments: [grant] },
    ]);
    const one = await call(`servicePrincipals(appId='${app.appId}')?$select=id&$expand=appRoleAssignments`);
    expect(one.json).toMatchObject({ id: client.id, appRoleAssignments: [grant] });

    for (let n = 0; n < 24; n += 1)
      lab.state.tenant.appRoleAssignments.push({
        id: `other-${n}`,
        principalId: client.id,
        resourceId,
        appRoleId: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
        createdDateTime: '2026-03-01T12:00:00Z',
      });
    const many = await call(`servicePrincipals/${client.id}?$expand=appRoleAssignments`);
    expect((many.json as { appRoleAssignments: unknown[] }).appRoleAssignments).toHaveLength(20);
    const all = await call(`servicePrincipals/${client.id}/appRoleAssignments`);
    expect((all.json as { value: unknown[] }).value).toHaveLength(25);
  });

  it("answers 400 with Graph's text to an $expand of something that is no relationship it has", async () => {
    const unknown = await call('servicePrincipals?$expand=owners2');
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({
      error: {
        code: 'BadRequest',
        message:
          "Parsing OData Select and Expand failed: Could not find a property named 'owners2' on type 'microsoft.graph.servicePrincipal'.",
      },
    });
    const property = await call(`servicePrincipals(appId='${EXO}')?$expand=displayName`);
    expect(property.status).toBe(400);
    expect(property.json).toMatchObject({
      error: {
        message:
          "Parsing OData Select and Expand failed: Property 'displayName' on type 'microsoft.graph.servicePrincipal' is not a navigation property or complex property. Only navigation properties can be expanded.",
      },
    });
    const onApplications = await call('applications?$expand=appRoleAssignments');
    expect(onApplications.status).toBe(400);
  });

  it('refuses a role the resource does not define, and a resource that does not exist', async () => {
    const app = await createApp();
    const client = await createPrincipal(app.appId);
    const unknownRole = await call(`servicePrincipals/${client.id}/appRoleAssignments`, 'POST', {
      principalId: client.id,
      resourceId: servicePrincipal(EXO).id,
      appRoleId: '22222222-3333-4444-5555-666666666666',
    });
    expect(unknownRole.json).toMatchObject({
      error: { message: 'Permission being assigned was not found on application.' },
    });
    const unknownResource = await call(`servicePrincipals/${client.id}/appRoleAssignments`, 'POST', {
      principalId: client.id,
      resourceId: '33333333-4444-5555-6666-777777777777',
      appRoleId: FULL_ACCESS,
    });
    expect(unknownResource.status).toBe(404);
    expect(lab.state.tenant.appRoleAssignments).toEqual([]);
  });

  it('answers applications inside a $batch like any other request', async () => {
    await createApp();
    const answer = await call('$batch', 'POST', {
      requests: [
        { id: '1', method: 'GET', url: `/applications?$filter=displayName eq '${NAME}'&$select=displayName` },
      ],
    });
    expect(answer.json).toMatchObject({
      responses: [{ id: '1', status: 200, body: { value: [{ displayName: NAME }] } }],
    });
  });
});

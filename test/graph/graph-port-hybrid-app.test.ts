import type { AuthCertificate } from '../../src/core/entra';
import { createGraphClient, type GraphConnection } from '../../src/graph/graph-client';
import { MsGraphPort } from '../../src/graph/graph-port';
import { exchangeOnlineAppRoles } from '../../src/lab/exchange-online-roles';
import { createTestCertificate, storedKeyCredential } from './fixtures/certificates';
import { LAB_NOW, type RunningLab, startLab } from './fixtures/lab';
import { SEED_APP_IDS, servicePrincipal } from './fixtures/lab-state';

const EXO = '00000002-0000-0ff1-ce00-000000000000';
const FULL_ACCESS = 'dc890d15-9560-4a4c-9b7f-a736ec74ec40';
const NAME = 'ExchangeServerApp-0b7b3c0e-4f6e-4d7a-9a51-3f2a1c9e8d70';
const TAGS = ['WindowsAzureActiveDirectoryIntegratedApp', 'HideApp'];
const FULL_ACCESS_REQUEST = {
  resourceAppId: EXO,
  resourceAccess: [{ id: FULL_ACCESS, type: 'Role' as const }],
};
const DAY = 24 * 3600 * 1000;

let current: AuthCertificate;
let expired: AuthCertificate;
let other: AuthCertificate;
let lab: RunningLab;
let connection: GraphConnection;
let port: MsGraphPort;
let slept: number[];

beforeAll(async () => {
  const made = await Promise.all([
    createTestCertificate({
      notBefore: new Date(LAB_NOW.getTime() - DAY),
      notAfter: new Date(LAB_NOW.getTime() + 1800 * DAY),
    }),
    createTestCertificate({
      notBefore: new Date(LAB_NOW.getTime() - 900 * DAY),
      notAfter: new Date(LAB_NOW.getTime() - DAY),
    }),
    createTestCertificate({
      notBefore: new Date(LAB_NOW.getTime() - 10 * DAY),
      notAfter: new Date(LAB_NOW.getTime() + 90 * DAY),
    }),
  ]);
  [current, expired, other] = made.map((m) => m.authCertificate) as [
    AuthCertificate,
    AuthCertificate,
    AuthCertificate,
  ];
});

beforeEach(async () => {
  lab = await startLab([
    servicePrincipal(EXO, {
      appRoles: exchangeOnlineAppRoles(),
      keyCredentials: [
        storedKeyCredential(current, '11111111-1111-4111-8111-111111111111'),
        storedKeyCredential(other, '22222222-2222-4222-8222-222222222222'),
      ],
    }),
    servicePrincipal(SEED_APP_IDS.cloudVoicemail),
  ]);
  slept = [];
  const sleep = async (ms: number) => void slept.push(ms);
  connection = createGraphClient({
    baseUrl: lab.server.url,
    authorityHost: lab.server.authorityHost,
    tenantId: lab.server.tenantId,
    clientId: lab.server.clientId,
    clientSecret: lab.server.clientSecret,
    caPem: lab.server.caPem,
    sleep,
  });
  port = new MsGraphPort({ client: connection.client, clock: lab.clock, retry: { sleep } });
});

afterEach(async () => {
  await connection.close();
  await lab.close();
});

/** The Graph writes the lab received, as `METHOD path`. */
const writes = () =>
  lab.state.tenant.requestLog
    .filter((entry) => entry.method !== 'GET' && entry.status < 300)
    .map((entry) => `${entry.method} ${entry.path.split('?')[0]}`);

describe('the dedicated hybrid application through MsGraphPort, against the lab over HTTPS', () => {
  it('finds no application, creates a single-tenant one, then finds it by its display name', async () => {
    expect(await port.findApplication(NAME)).toBeNull();
    const created = await port.createApplication({ displayName: NAME, notes: 'Used by Exchange Server' });
    expect(created).toMatchObject({ displayName: NAME, signInAudience: 'AzureADMyOrg', keyCredentials: [] });
    expect(await port.findApplication(NAME)).toEqual(created);
    expect(writes()).toEqual(['POST /v1.0/applications']);
  });

  it('refuses to pick one of two applications with the same display name', async () => {
    await port.createApplication({ displayName: NAME });
    await port.createApplication({ displayName: NAME });
    await expect(port.findApplication(NAME)).rejects.toMatchObject({ code: 'GRAPH_AMBIGUOUS_APPLICATION' });
  });

  it('adds full_access_as_app to the permissions once, keeping the other APIs', async () => {
    const app = await port.createApplication({ displayName: NAME });
    const graphRead = {
      resourceAppId: '00000003-0000-0000-c000-000000000000',
      resourceAccess: [{ id: 'df021288-bdef-4463-88db-98f22de89214', type: 'Role' as const }],
    };
    await port.addRequiredResourceAccess(app.appId, graphRead);
    const first = await port.addRequiredResourceAccess(app.appId, FULL_ACCESS_REQUEST);
    expect(first.change).toBe('update');
    expect(first.value.requiredResourceAccess).toEqual([graphRead, FULL_ACCESS_REQUEST]);
    expect((await port.addRequiredResourceAccess(app.appId, FULL_ACCESS_REQUEST)).change).toBe('none');
    expect(writes().filter((write) => write.startsWith('PATCH'))).toHaveLength(2);
  });

  it('creates the service principal, then its tags in a second call, and changes nothing the second time', async () => {
    const app = await port.createApplication({ displayName: NAME });
    const created = await port.ensureServicePrincipal(app.appId, TAGS);
    expect(created).toMatchObject({ change: 'create', value: { appId: app.appId, tags: TAGS } });
    expect(writes().slice(1)).toEqual([
      'POST /v1.0/servicePrincipals',
      `PATCH /v1.0/servicePrincipals/${created.value.id}`,
    ]);
    expect((await port.ensureServicePrincipal(app.appId, TAGS)).change).toBe('none');
    const more = await port.ensureServicePrincipal(app.appId, [...TAGS, 'Exchange']);
    expect(more).toMatchObject({ change: 'update', value: { tags: [...TAGS, 'Exchange'] } });
    expect(writes()).toHaveLength(4);
  });

  it("resolves full_access_as_app from Exchange Online's app roles, and nothing for an unknown value", async () => {
    expect(await port.findAppRole(EXO, 'full_access_as_app')).toEqual({
      resourceId: servicePrincipal(EXO).id,
      resourceAppId: EXO,
      appRoleId: FULL_ACCESS,
      value: 'full_access_as_app',
      displayName: 'Use Exchange Web Services with full access to all mailboxes',
    });
    expect(await port.findAppRole(EXO, 'Mail.ReadWrite')).toBeNull();
    await expect(port.findAppRole('99999999-0000-0000-0000-000000000000', 'x')).rejects.toMatchObject({
      code: 'GRAPH_SERVICE_PRINCIPAL_NOT_FOUND',
    });
  });

  it('grants the role once (admin consent), listing first', async () => {
    const app = await port.createApplication({ displayName: NAME });
    const sp = (await port.ensureServicePrincipal(app.appId, TAGS)).value;
    const role = await port.findAppRole(EXO, 'full_access_as_app');
    if (!role) throw new Error('no role');
    const granted = await port.grantAppRole(sp.id, role);
    expect(granted).toMatchObject({
      change: 'create',
      value: { principalId: sp.id, resourceId: role.resourceId, appRoleId: FULL_ACCESS },
    });
    expect(await port.grantAppRole(sp.id, role)).toEqual({ change: 'none', value: granted.value });
    expect(await port.listAppRoleAssignments(sp.id)).toEqual([granted.value]);
    expect(writes().filter((write) => write.endsWith('/appRoleAssignments'))).toHaveLength(1);
  });

  it('uploads a certificate to the application as to a service principal: first key, then skipped, expired keys dropped', async () => {
    const app = await port.createApplication({ displayName: NAME });
    const first = await port.uploadApplicationCertificate(app.appId, current);
    expect(first).toMatchObject({ change: 'create', add: true });
    expect(first.application.keyCredentials.map((key) => key.customKeyIdentifier)).toEqual([
      current.thumbprint,
    ]);
    const again = await port.uploadApplicationCertificate(app.appId, current);
    expect(again).toMatchObject({ change: 'none', add: false });
    expect(writes().filter((write) => write.startsWith('PATCH'))).toHaveLength(1);

    const stored = lab.state.tenant.applications[0];
    stored?.keyCredentials.push(storedKeyCredential(expired, '33333333-3333-4333-8333-333333333333'));
    const next = await port.uploadApplicationCertificate(app.appId, other);
    expect(next).toMatchObject({
      change: 'update',
      drop: [expect.objectContaining({ customKeyIdentifier: expired.thumbprint })],
    });
    expect(lab.state.tenant.applications[0]?.keyCredentials.map((key) => key.customKeyIdentifier)).toEqual([
      current.thumbprint,
      other.thumbprint,
    ]);
    expect(lab.state.tenant.applications[0]?.keyCredentials[0]?.keyId).toBe(
      first.application.keyCredentials[0]?.keyId,
    );
  });

  it('removes the Exchange certificate keys from the shared principal, keeping every other key with its bytes', async () => {
    const result = await port.removeServicePrincipalKeys(EXO, [current.thumbprint.toLowerCase()]);
    expect(result.removed.map((key) => key.customKeyIdentifier)).toEqual([current.thumbprint]);
    expect(lab.state.tenant.servicePrincipals[0]?.keyCredentials).toEqual([
      storedKeyCredential(other, '22222222-2222-4222-8222-222222222222'),
    ]);
    const none = await port.removeServicePrincipalKeys(EXO, [current.thumbprint]);
    expect(none.removed).toEqual([]);
    expect(writes().filter((write) => write.startsWith('PATCH'))).toHaveLength(1);
  });

  it('reads the service principals and the dedicated application with its grant in one $batch', async () => {
    const app = await port.createApplication({ displayName: NAME });
    await port.addRequiredResourceAccess(app.appId, FULL_ACCESS_REQUEST);
    const sp = (await port.ensureServicePrincipal(app.appId, TAGS)).value;
    const role = await port.findAppRole(EXO, 'full_access_as_app');
    if (!role) throw new Error('no role');
    await port.grantAppRole(sp.id, role);
    const before = lab.state.tenant.requestLog.length;
    lab.server.faults.throttle(1, 2);

    const read = await port.readVerificationDirectory([EXO, SEED_APP_IDS.cloudVoicemail], NAME);
    expect(read.principals[EXO]?.keyCredentials.map((key) => key.key)).toEqual([
      current.derBase64,
      other.derBase64,
    ]);
    expect(read.principals[SEED_APP_IDS.cloudVoicemail]).toMatchObject({
      appId: SEED_APP_IDS.cloudVoicemail,
    });
    expect(read.dedicatedApp).toEqual({
      application: expect.objectContaining({
        appId: app.appId,
        requiredResourceAccess: [FULL_ACCESS_REQUEST],
      }),
      principalId: sp.id,
      role,
      granted: true,
      error: null,
    });
    // The throttled inner request went again in a second $batch, after its Retry-After.
    const topLevel = lab.state.tenant.requestLog.slice(before).filter((entry) => !entry.path.includes('#'));
    expect(topLevel.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'POST /v1.0/$batch',
      'POST /v1.0/$batch',
    ]);
    expect(slept).toEqual([2000]);
  });

  it("gives the application's failure as its error, and the service principals all the same", async () => {
    await port.createApplication({ displayName: NAME });
    await port.createApplication({ displayName: NAME });
    const read = await port.readVerificationDirectory([EXO], NAME);
    expect(read.principals[EXO]).toMatchObject({ appId: EXO });
    expect(read.dedicatedApp).toMatchObject({
      application: null,
      granted: false,
      error: expect.stringMatching(new RegExp(`^2 applications are named ${NAME} `)),
    });
    expect(await port.readVerificationDirectory([EXO], null)).toMatchObject({ dedicatedApp: null });
  });

  it('retries a throttled create after Retry-After, creating one application', async () => {
    lab.server.faults.throttle(1, 3);
    await port.createApplication({ displayName: NAME });
    expect(slept).toEqual([3000]);
    expect(lab.state.tenant.applications).toHaveLength(1);
  });
});

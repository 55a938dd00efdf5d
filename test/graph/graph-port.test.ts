import type { AuthCertificate } from '../../src/core/entra';
import { createGraphClient, type GraphConnection } from '../../src/graph/graph-client';
import { MsGraphPort } from '../../src/graph/graph-port';
import { createTestCertificate, storedKeyCredential } from './fixtures/certificates';
import { LAB_NOW, type RunningLab, startLab } from './fixtures/lab';
import { SEED_APP_IDS, servicePrincipal } from './fixtures/lab-state';

const DAY = 24 * 3600 * 1000;
const APPS = [SEED_APP_IDS.cloudVoicemail, SEED_APP_IDS.teamsScheduler, SEED_APP_IDS.skypeForBusinessOnline];
const OLD_KEY_ID = '11111111-1111-4111-8111-111111111111';
const LIVE_KEY_ID = '22222222-2222-4222-8222-222222222222';

let authCert: AuthCertificate;
let expiredCert: AuthCertificate;
let liveCert: AuthCertificate;
let lab: RunningLab;
let connection: GraphConnection;
let slept: number[];
let port: MsGraphPort;

beforeAll(async () => {
  const made = await Promise.all([
    createTestCertificate({
      notBefore: new Date(LAB_NOW.getTime() - DAY),
      notAfter: new Date(LAB_NOW.getTime() + 5 * 365 * DAY),
    }),
    createTestCertificate({
      notBefore: new Date(LAB_NOW.getTime() - 800 * DAY),
      notAfter: new Date(LAB_NOW.getTime() - 30 * DAY),
    }),
    createTestCertificate({
      notBefore: new Date(LAB_NOW.getTime() - 300 * DAY),
      notAfter: new Date(LAB_NOW.getTime() + 60 * DAY),
    }),
  ]);
  [authCert, expiredCert, liveCert] = made.map((m) => m.authCertificate) as [
    AuthCertificate,
    AuthCertificate,
    AuthCertificate,
  ];
});

async function open(...sps: Parameters<typeof startLab>[0]): Promise<void> {
  lab = await startLab(sps);
  slept = [];
  // The client's RetryHandler and the port's $batch rounds wait through the same recorder.
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
}

afterEach(async () => {
  await connection.close();
  await lab.close();
});

const log = () => lab.state.tenant.requestLog.map((e) => `${e.method} ${e.path.split('?')[0]} ${e.status}`);
const patches = () => lab.state.tenant.requestLog.filter((e) => e.method === 'PATCH');

describe('MsGraphPort.uploadAuthCertificate against the lab', () => {
  it('uploads the first key to a service principal without keys, filled in by Graph from the certificate', async () => {
    await open(servicePrincipal(APPS[0]));

    const result = await port.uploadAuthCertificate(APPS[0], authCert);

    expect(result.change).toBe('create');
    expect(result.servicePrincipal.keyCredentials).toEqual([
      {
        keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        customKeyIdentifier: authCert.thumbprint,
        displayName: 'CN=Microsoft Exchange Server Auth Certificate',
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: authCert.derBase64,
        startDateTime: authCert.notBefore.replace('.000Z', 'Z'),
        endDateTime: authCert.notAfter.replace('.000Z', 'Z'),
      },
    ]);
    expect(log()).toEqual([
      'GET /v1.0/servicePrincipals 200',
      `GET /v1.0/servicePrincipals/${servicePrincipal(APPS[0]).id} 200`,
      `PATCH /v1.0/servicePrincipals/${servicePrincipal(APPS[0]).id} 204`,
      `GET /v1.0/servicePrincipals/${servicePrincipal(APPS[0]).id} 200`,
    ]);
  });

  it('keeps the unexpired key with its key bytes intact, drops the expired one and adds the new key', async () => {
    const expired = storedKeyCredential(expiredCert, OLD_KEY_ID);
    const live = storedKeyCredential(liveCert, LIVE_KEY_ID);
    await open(servicePrincipal(APPS[0], { keyCredentials: [expired, live] }));

    const result = await port.uploadAuthCertificate(APPS[0], authCert);

    expect(result).toMatchObject({ change: 'update', add: true });
    expect(result.drop.map((k) => k.keyId)).toEqual([OLD_KEY_ID]);
    expect(result.keep.map((k) => k.keyId)).toEqual([LIVE_KEY_ID]);
    const stored = lab.state.tenant.servicePrincipals[0]?.keyCredentials ?? [];
    expect(stored.map((k) => k.customKeyIdentifier)).toEqual([liveCert.thumbprint, authCert.thumbprint]);
    expect(stored[0]).toEqual(live);
    expect(result.servicePrincipal.keyCredentials[0]?.key).toBe(liveCert.derBase64);
  });

  it('skips a second upload of the same certificate without any PATCH', async () => {
    await open(servicePrincipal(APPS[0]));
    await port.uploadAuthCertificate(APPS[0], authCert);
    lab.state.tenant.requestLog.length = 0;

    const again = await port.uploadAuthCertificate(APPS[0], authCert);

    expect(again.change).toBe('none');
    expect(again.reason).toContain('already exists and will not be uploaded again');
    expect(patches()).toEqual([]);
    expect(log()).toEqual(['GET /v1.0/servicePrincipals 200']);
  });

  it('reports an unknown appId as GRAPH_SERVICE_PRINCIPAL_NOT_FOUND', async () => {
    await open(servicePrincipal(APPS[0]));

    await expect(
      port.uploadAuthCertificate('99999999-9999-9999-9999-999999999999', authCert),
    ).rejects.toMatchObject({
      name: 'GraphError',
      code: 'GRAPH_SERVICE_PRINCIPAL_NOT_FOUND',
      status: 404,
    });
  });

  it('waits out 429 Retry-After on a plain request and retries it, as the request log shows', async () => {
    await open(servicePrincipal(APPS[0]));
    lab.server.faults.throttle(2, 3);

    const result = await port.uploadAuthCertificate(APPS[0], authCert);

    expect(result.change).toBe('create');
    expect(slept).toEqual([3000, 3000]);
    expect(log().slice(0, 3)).toEqual([
      'GET /v1.0/servicePrincipals 429',
      'GET /v1.0/servicePrincipals 429',
      'GET /v1.0/servicePrincipals 200',
    ]);
  });

  it('gives up after four tries with GRAPH_THROTTLED and the last Retry-After', async () => {
    await open(servicePrincipal(APPS[0]));
    lab.server.faults.throttle(10, 5);

    await expect(port.uploadAuthCertificate(APPS[0], authCert)).rejects.toMatchObject({
      code: 'GRAPH_THROTTLED',
      status: 429,
      graphCode: 'TooManyRequests',
      retryAfterSeconds: 5,
    });
    expect(slept).toEqual([5000, 5000, 5000]);
    expect(log()).toHaveLength(4);
  });
});

describe('MsGraphPort.readServicePrincipals against the lab', () => {
  const FOURTH = '00000003-0000-0ff1-ce00-000000000000';

  it('reads four service principals in one $batch request, with null for a missing one and the kept keys with their bytes', async () => {
    await open(
      ...APPS.map((appId) =>
        servicePrincipal(appId, { keyCredentials: [storedKeyCredential(liveCert, LIVE_KEY_ID)] }),
      ),
    );

    const result = await port.readServicePrincipals([...APPS, FOURTH]);

    expect(Object.keys(result)).toEqual([...APPS, FOURTH]);
    expect(result[FOURTH]).toBeNull();
    expect(result[APPS[1]]).toMatchObject({ id: servicePrincipal(APPS[1]).id, appId: APPS[1] });
    // Read one by one (`servicePrincipals(appId='…')`): a plan's keyCredentials PATCH sends kept keys back whole.
    expect(result[APPS[1]]?.keyCredentials[0]).toMatchObject({ keyId: LIVE_KEY_ID, key: liveCert.derBase64 });
    expect(lab.state.tenant.requestLog.filter((e) => !e.path.startsWith('/v1.0/$batch#'))).toEqual([
      { at: LAB_NOW.toISOString(), method: 'POST', path: '/v1.0/$batch', status: 200 },
    ]);
  });

  it('retries only the inner requests answered 429, after their Retry-After', async () => {
    await open(...APPS.map((appId) => servicePrincipal(appId)));
    lab.server.faults.throttle(2, 4);

    const result = await port.readServicePrincipals([...APPS, FOURTH]);

    expect(Object.values(result).filter((sp) => sp !== null)).toHaveLength(3);
    expect(slept).toEqual([4000]);
    const one = (appId: string) => `servicePrincipals(appId='${appId}')`;
    expect(log()).toEqual([
      `GET /v1.0/$batch#1/${one(APPS[0])} 429`,
      `GET /v1.0/$batch#2/${one(APPS[1])} 429`,
      `GET /v1.0/$batch#3/${one(APPS[2])} 200`,
      `GET /v1.0/$batch#4/${one(FOURTH)} 404`,
      'POST /v1.0/$batch 200',
      `GET /v1.0/$batch#1/${one(APPS[0])} 200`,
      `GET /v1.0/$batch#2/${one(APPS[1])} 200`,
      'POST /v1.0/$batch 200',
    ]);
  });

  it('splits more than 20 appIds into $batch requests of 20', async () => {
    const appIds = Array.from(
      { length: 23 },
      (_, i) => `aaaaaaaa-0000-0000-0000-${String(i).padStart(12, '0')}`,
    );
    await open(servicePrincipal(appIds[0] ?? ''));

    const result = await port.readServicePrincipals(appIds);

    expect(Object.keys(result)).toHaveLength(23);
    expect(log().filter((l) => l.startsWith('POST'))).toEqual([
      'POST /v1.0/$batch 200',
      'POST /v1.0/$batch 200',
    ]);
  });
});

describe('MsGraphPort.setServicePrincipalNames against the lab', () => {
  it('replaces the names and returns the service principal as read back', async () => {
    await open(servicePrincipal(APPS[0]));

    const sp = await port.setServicePrincipalNames(APPS[0], [APPS[0], 'https://mail.contoso.com']);

    expect(sp.servicePrincipalNames).toEqual([APPS[0], 'https://mail.contoso.com']);
    expect(lab.persists()).toBe(1);
  });
});

import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { GraphError, toGraphError } from '../../src/graph/errors';
import { createGraphClient, GRAPH_SCOPE, type GraphConnection } from '../../src/graph/graph-client';
import { MsGraphPort } from '../../src/graph/graph-port';
import { createTestCertificate } from './fixtures/certificates';
import { LAB_NOW, type RunningLab, startLab } from './fixtures/lab';
import { SEED_APP_IDS, servicePrincipal } from './fixtures/lab-state';

const APP = SEED_APP_IDS.teamsScheduler;
const connections: GraphConnection[] = [];
let lab: RunningLab | undefined;

afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()));
  await lab?.close();
  lab = undefined;
});

function connect(
  running: RunningLab,
  overrides: Partial<Parameters<typeof createGraphClient>[0]> = {},
): GraphConnection {
  const connection = createGraphClient({
    baseUrl: running.server.url,
    authorityHost: running.server.authorityHost,
    tenantId: running.server.tenantId,
    clientId: running.server.clientId,
    clientSecret: running.server.clientSecret,
    caPem: running.server.caPem,
    ...overrides,
  });
  connections.push(connection);
  return connection;
}

describe('createGraphClient against the lab over https', () => {
  it('trusts a CA created at runtime in this process, for both the token and the Graph calls', async () => {
    lab = await startLab([servicePrincipal(APP)]);

    const body = await connect(lab)
      .client.api(`/servicePrincipals/${servicePrincipal(APP).id}`)
      .select('appId')
      .get();

    expect(body).toMatchObject({ appId: APP });
    expect(lab.state.tenant.requestLog).toEqual([
      {
        at: LAB_NOW.toISOString(),
        method: 'GET',
        path: `/v1.0/servicePrincipals/${servicePrincipal(APP).id}?$select=appId`,
        status: 200,
      },
    ]);
  });

  it('cannot reach the lab without caPem: the runtime CA is trusted only through the option', async () => {
    lab = await startLab([servicePrincipal(APP)]);
    const port = new MsGraphPort({ client: connect(lab, { caPem: undefined }).client, clock: lab.clock });

    const failure = await port.readServicePrincipals([APP]).catch((e: unknown) => e);

    expect(failure).toMatchObject({ name: 'GraphError', code: 'GRAPH_AUTH_FAILED', status: 0 });
    expect((failure as GraphError).message).toContain('TLS certificate trusted');
    expect(lab.state.tenant.requestLog).toEqual([]);
  });

  it('needs the undici dispatcher for Graph: the same trusted credential without it gets a token but no Graph answer', async () => {
    lab = await startLab([servicePrincipal(APP)]);
    const { credential } = connect(lab);
    const withoutDispatcher = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] }),
      baseUrl: lab.server.url,
      customHosts: new Set(['127.0.0.1']),
    });

    await expect(credential.getToken(GRAPH_SCOPE)).resolves.toMatchObject({ token: expect.any(String) });
    const port = new MsGraphPort({ client: withoutDispatcher, clock: lab.clock, retry: { maxRetries: 0 } });
    await expect(port.readServicePrincipals([APP])).rejects.toMatchObject({
      code: 'GRAPH_UNREACHABLE',
      status: 0,
    });
    expect(lab.state.tenant.requestLog).toEqual([]);
  });

  it('reports a wrong client secret as GRAPH_AUTH_FAILED carrying AADSTS7000215', async () => {
    lab = await startLab([servicePrincipal(APP)]);
    const port = new MsGraphPort({
      client: connect(lab, { clientSecret: 'not-the-secret' }).client,
      clock: lab.clock,
    });

    const failure = await port.readServicePrincipals([APP]).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(GraphError);
    expect(failure).toMatchObject({ code: 'GRAPH_AUTH_FAILED', graphCode: 'AADSTS7000215', status: 0 });
    expect((failure as GraphError).message).toMatch(
      /^Could not get a Microsoft Graph token from Entra: AADSTS7000215: Invalid client secret provided\./,
    );
    expect(lab.state.tenant.requestLog).toEqual([]);
  });

  it('authenticates with a client certificate through ClientCertificateCredential', async () => {
    const appCert = await createTestCertificate({
      subject: 'CN=hybridops-lab',
      notBefore: new Date(Date.now() - 3600_000),
      notAfter: new Date(Date.now() + 3600_000),
    });
    lab = await startLab([servicePrincipal(APP)], { clientCertificatePem: appCert.certPem });
    const connection = connect(lab, {
      clientSecret: undefined,
      certificatePem: `${appCert.certPem}\n${appCert.privateKeyPem}`,
    });

    const result = await new MsGraphPort({
      client: connection.client,
      clock: lab.clock,
    }).readServicePrincipals([APP]);

    expect(result[APP]?.appId).toBe(APP);
  });

  it('turns Graph error answers into typed GraphErrors with status, Graph code and message', async () => {
    lab = await startLab([servicePrincipal(APP)]);
    const { client } = connect(lab);

    const notFound = await client
      .api('/servicePrincipals/missing')
      .get()
      .catch((e: unknown) => toGraphError(e, LAB_NOW));
    const badFilter = await client
      .api('/servicePrincipals')
      .filter('appId eq')
      .get()
      .catch((e: unknown) => toGraphError(e, LAB_NOW));

    expect(notFound).toMatchObject({
      code: 'GRAPH_NOT_FOUND',
      status: 404,
      graphCode: 'Request_ResourceNotFound',
    });
    expect(notFound.message).toContain("Resource 'missing' does not exist");
    expect(badFilter).toMatchObject({ code: 'GRAPH_BAD_REQUEST', status: 400, graphCode: 'BadRequest' });
  });

  it('refuses to build a client with neither a secret nor a certificate', () => {
    expect(() => createGraphClient({ tenantId: 't', clientId: 'c' })).toThrow(
      expect.objectContaining({ code: 'GRAPH_CONFIG_INVALID' }) as GraphError,
    );
  });
});

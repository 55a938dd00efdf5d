import type { LabHarness } from './support';
import { harness, outputOf } from './support';

const EWS = {
  Service: 'EWS',
  TargetUri: 'https://outlook.office365.com/ews/exchange.asmx',
  Mailbox: 'AdeleV@contoso.com',
};
const SHARED = '00000002-0000-0ff1-ce00-000000000000';
const REFRESH = {
  Process: 'Microsoft.Exchange.Directory.TopologyService',
  Component: 'VariantConfiguration',
  Argument: 'Refresh',
};

async function oauthTest(lab: LabHarness): Promise<Record<string, unknown>> {
  const [result] = outputOf(await lab.run('Test-OAuthConnectivity', EWS));
  return result ?? {};
}

function firstServer(lab: LabHarness) {
  const server = lab.state.org.servers[0];
  if (!server) throw new Error('no server in the lab');
  return server;
}

function dedicatedApp(lab: LabHarness) {
  const app = lab.state.tenant.applications[0];
  if (!app) throw new Error('no dedicated hybrid application in the lab');
  return app;
}

describe('Test-OAuthConnectivity to Exchange Online', () => {
  it('answers with the result object Exchange returns', async () => {
    const lab = await harness({ sharedPrincipalKey: true });
    const result = await oauthTest(lab);
    expect(Object.keys(result)).toEqual([
      'Task',
      'Detail',
      'ResultType',
      'Identity',
      'IsValid',
      'ObjectState',
    ]);
    expect(result).toMatchObject({
      Task: 'Checking EWS API Call Under Oauth',
      ResultType: 'Success',
      Identity: 'Microsoft.Exchange.Security.OAuth.ValidationResultNodeId',
      IsValid: true,
      ObjectState: 'New',
    });
    expect(String(result.Detail)).toMatch(
      /^The configuration was last successfully loaded at .*\nThe token cache/,
    );
  });

  it("fails when the auth certificate's key is on neither the shared principal nor a dedicated application", async () => {
    const lab = await harness();
    const result = await oauthTest(lab);
    expect(result.ResultType).toBe('Error');
    expect(result.Detail).toContain(
      `AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${lab.state.org.authConfig.currentCertificateThumbprint}'`,
    );
    expect(result.Detail).toContain(`configured keys for app Id '${SHARED}'`);
    expect(result.Detail).toMatch(/\(401\) Unauthorized\.$/);
  });

  it('works through the shared principal until 2025-10-31 and is refused with 403 from then on', async () => {
    const lab = await harness({ sharedPrincipalKey: true });
    lab.clock.set(new Date('2025-10-30T23:59:59Z'));
    expect((await oauthTest(lab)).ResultType).toBe('Success');
    lab.clock.set(new Date('2025-10-31T00:00:00Z'));
    const result = await oauthTest(lab);
    expect(result.ResultType).toBe('Error');
    expect(result.Detail).toContain('EWS access through the shared service principal is permanently blocked');
    expect(result.Detail).toMatch(/\(403\) Forbidden\.$/);
  });

  it('works through the dedicated hybrid application after the block', async () => {
    const lab = await harness({ dedicatedApp: true });
    lab.clock.set(new Date('2026-11-21T12:00:00Z'));
    const result = await oauthTest(lab);
    expect(result.ResultType).toBe('Success');
    expect(result.Detail).toContain(`the dedicated Exchange hybrid application ${dedicatedApp(lab).appId}`);
  });

  it("fails when the dedicated application lacks the current certificate's key, or holds it expired", async () => {
    const lab = await harness({ dedicatedApp: true });
    const app = dedicatedApp(lab);
    const key = app.keyCredentials[0];
    if (!key) throw new Error('no key');
    key.endDateTime = '2025-02-01T00:00:00Z';
    expect((await oauthTest(lab)).Detail).toContain('[Reason - The key used is expired.');
    app.keyCredentials = [];
    const result = await oauthTest(lab);
    expect(result.ResultType).toBe('Error');
    expect(result.Detail).toContain(`configured keys for app Id '${app.appId}'`);
  });

  it('fails with 403 when full_access_as_app was never consented to', async () => {
    const lab = await harness({ dedicatedApp: true });
    lab.state.tenant.appRoleAssignments = [];
    const result = await oauthTest(lab);
    expect(result.ResultType).toBe('Error');
    expect(result.Detail).toContain('no full_access_as_app role');
    expect(result.Detail).toMatch(/\(403\) Forbidden\.$/);
  });

  it('uses the dedicated application only once the server has read the override: at a refresh, or within the hour', async () => {
    const lab = await harness({ dedicatedApp: true });
    lab.state.org.settingOverrides = [];
    lab.clock.set(new Date('2026-01-10T09:00:00Z'));
    expect((await oauthTest(lab)).Detail).toContain(
      'the shared Office 365 Exchange Online service principal',
    );
    await lab.run('New-SettingOverride', {
      Name: 'EnableExchangeHybrid3PAppFeature',
      Component: 'Global',
      Section: 'ExchangeOnpremAsThirdPartyAppId',
      Parameters: ['Enabled=true'],
      Reason: 'Created by hybridops',
    });
    expect((await oauthTest(lab)).ResultType).toBe('Error');
    await lab.run('Get-ExchangeDiagnosticInfo', REFRESH);
    expect((await oauthTest(lab)).ResultType).toBe('Success');

    firstServer(lab).overridesRefreshedAt = null;
    expect((await oauthTest(lab)).ResultType).toBe('Error');
    lab.clock.set(new Date('2026-01-10T10:00:00Z'));
    expect((await oauthTest(lab)).ResultType).toBe('Success');
  });

  it('keeps using the shared principal on a build without the dedicated application feature', async () => {
    const lab = await harness({ dedicatedApp: true, servers: [{ name: 'EX01', build: '15.2.1544.4' }] });
    expect((await oauthTest(lab)).Detail).toContain(
      'the shared Office 365 Exchange Online service principal',
    );
  });

  it('judges only the on-premises side when the lab is set to', async () => {
    const lab = await harness({ oauthTestScope: 'on-premises' });
    lab.clock.set(new Date('2026-11-21T12:00:00Z'));
    expect((await oauthTest(lab)).ResultType).toBe('Success');
  });

  it('fails when the current auth certificate is not on the server the test runs on', async () => {
    const lab = await harness({ dedicatedApp: true });
    firstServer(lab).certificates = [];
    const result = await oauthTest(lab);
    expect(result.ResultType).toBe('Error');
    expect(result.Detail).toContain("referenced by the auth configuration wasn't found on server EX01");
  });
});

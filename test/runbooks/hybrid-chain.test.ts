/**
 * Microsoft's current hybrid guidance on an org without hybrid OAuth: hybrid-oauth, each plan → apply → verify →
 * a second plan with nothing to do, every mutating cmdlet and Graph write sent once.
 */
import { applyRunbook } from '../../src/engine/apply';
import { planRunbook } from '../../src/engine/planner';
import { getRunbook, validateInputs } from '../../src/runbooks';
import { verifyRunbook } from '../../src/verify/verify-runbook';
import { DC, DOMAIN, type LabFixture, openLabFixture, repeatedMutations } from '../support/lab-org';

function deps(lab: LabFixture) {
  return { ems: lab.session.ems, graph: lab.session.graph, clock: lab.clock, store: lab.store };
}

async function planFor(lab: LabFixture, name: string, extra: Record<string, unknown> = {}) {
  const runbook = getRunbook(name);
  const tenantId = lab.onDisk().tenant.tenantId;
  const inputs = validateInputs(runbook, { domain: DOMAIN, dc: DC, tenantId, ...extra });
  return { runbook, inputs, ...(await planRunbook(runbook, inputs, deps(lab))) };
}

async function apply(lab: LabFixture, planned: Awaited<ReturnType<typeof planFor>>) {
  const result = await applyRunbook(
    {
      runbook: planned.runbook,
      inputs: planned.inputs,
      target: lab.file,
      requestedBy: 'alice',
      approvedBy: 'bob',
    },
    deps(lab),
  );
  expect(result.error).toBeNull();
  expect(result.state).toBe('succeeded');
}

/** The Graph writes in the lab's request log, in order; a `$batch` of reads is not a write. */
function graphWrites(log: readonly { method: string; path: string }[]): string[] {
  return log
    .filter((entry) => entry.method !== 'GET' && !entry.path.endsWith('/$batch'))
    .map((entry) => `${entry.method} ${entry.path.split('?')[0]}`);
}

/** Graph writes sent more than once (method and path). */
function repeatedGraphWrites(log: readonly { method: string; path: string }[]): string[] {
  const writes = graphWrites(log);
  return writes.filter((write, index) => writes.indexOf(write) !== index);
}

describe('hybrid-oauth on an org without hybrid OAuth', () => {
  let lab: LabFixture;
  beforeAll(async () => {
    lab = await openLabFixture({ hybridOAuth: false });
  });
  afterAll(() => lab.close());

  it('plans the article steps with the exact commands, the Exchange Online connector as a manual step', async () => {
    const { plan } = await planFor(lab, 'hybrid-oauth');
    const tenantId = lab.onDisk().tenant.tenantId;
    const byId = Object.fromEntries(plan.steps.map((step) => [step.id, step]));
    expect(byId['auth-server-evosts']?.command).toBe(
      `New-AuthServer -Name 'EvoSts - ${tenantId}' -Type 'AzureAD' -AuthMetadataUrl 'https://login.windows.net/${tenantId}/federationmetadata/2007-06/federationmetadata.xml' -DomainController '${DC}'`,
    );
    expect(byId['auth-server-acs']?.command).toBe(
      `New-AuthServer -Name 'ACS - ${tenantId}' -AuthMetadataUrl 'https://accounts.accesscontrol.windows.net/${tenantId}/metadata/json/1' -DomainController '${DC}'`,
    );
    expect(byId['enable-exchange-online']?.change).toBe('update');
    expect(byId['register-spns']?.command).toContain(`"https://mail.${DOMAIN}/"`);
    expect(byId['register-spns']?.command).toContain(`"https://autodiscover.${DOMAIN}/"`);
    expect(byId['intra-organization-connector']?.command).toBe(
      `New-IntraOrganizationConnector -Name 'ExchangeHybridOnPremisesToOnline' -DiscoveryEndpoint 'https://outlook.office365.com/autodiscover/autodiscover.svc' -TargetAddressDomains 'contoso.mail.onmicrosoft.com' -DomainController '${DC}'`,
    );
    expect(byId['exchange-online-connector']?.change).toBe('none');
    expect(byId['exchange-online-connector']?.detail).toContain(
      "Exchange Online PowerShell: New-IntraOrganizationConnector -Name 'ExchangeHybridOnlineToOnPremises'",
    );
    for (const step of plan.steps) expect(step.warnings.join(' ')).not.toMatch(/Outdated/);
  });

  it('applies, verifies its steps, then plans nothing, each write sent once, existing SPNs kept', async () => {
    const before = lab
      .onDisk()
      .tenant.servicePrincipals.find(
        (sp) => sp.appId === '00000002-0000-0ff1-ce00-000000000000',
      )?.servicePrincipalNames;
    const first = await planFor(lab, 'hybrid-oauth');
    await apply(lab, first);
    const after = lab
      .onDisk()
      .tenant.servicePrincipals.find(
        (sp) => sp.appId === '00000002-0000-0ff1-ce00-000000000000',
      )?.servicePrincipalNames;
    expect(after).toEqual([...(before ?? []), `https://mail.${DOMAIN}/`, `https://autodiscover.${DOMAIN}/`]);

    const checks = await verifyRunbook(first.runbook, first.inputs, deps(lab));
    const stepIds = first.plan.steps.map((step) => step.id);
    expect(checks.filter((check) => stepIds.includes(check.id) && !check.ok)).toEqual([]);

    const second = await planFor(lab, 'hybrid-oauth');
    expect(second.plan.steps.map((step) => [step.id, step.change])).toEqual(
      second.plan.steps.map((step) => [step.id, 'none']),
    );
    const disk = lab.onDisk();
    expect(repeatedMutations(disk.org.commandLog)).toEqual([]);
    expect(repeatedGraphWrites(disk.tenant.requestLog)).toEqual([]);
  });
});

describe('dedicated-hybrid-app after hybrid-oauth', () => {
  let lab: LabFixture;
  beforeAll(async () => {
    lab = await openLabFixture({ hybridOAuth: false });
    await apply(lab, await planFor(lab, 'hybrid-oauth'));
  });
  afterAll(() => lab.close());

  it('plans the application, its permission, consent, keys, auth server and override with named values', async () => {
    const { plan } = await planFor(lab, 'dedicated-hybrid-app');
    const byId = Object.fromEntries(plan.steps.map((step) => [step.id, step]));
    const guid = lab.onDisk().org.organizationGuid;
    expect(byId['hybrid-application']?.command).toContain(`"displayName":"ExchangeServerApp-${guid}"`);
    expect(byId['hybrid-application']?.command).toContain('"signInAudience":"AzureADMyOrg"');
    expect(byId['hybrid-application-principal']?.command).toContain('$hybridApp.appId');
    expect(byId['hybrid-application-permission']?.command).toContain('dc890d15-9560-4a4c-9b7f-a736ec74ec40');
    expect(byId['hybrid-application-consent']?.warnings.join(' ')).toMatch(
      /Approving this plan is the tenant-wide admin consent/,
    );
    expect(byId['hybrid-application-keys']?.command).toContain('Export-ExchangeCertificate');
    expect(byId['hybrid-app-auth-server']?.command).toContain('-ApplicationIdentifier $hybridApp.appId');
    expect(byId['hybrid-app-override']?.command).toContain(
      "New-SettingOverride -Name 'EnableExchangeHybrid3PAppFeature' -Component 'Global' -Section 'ExchangeOnpremAsThirdPartyAppId' -Parameters 'Enabled=true'",
    );
    expect(byId['hybrid-app-override']?.command).toContain("-Server 'EX01'");
    expect(byId['exchange-builds']?.detail).toMatch(/confirm the April 2025 HU or later on EX01/);
  });

  it('applies, verifies green, then plans nothing, each write sent once', async () => {
    const writesBefore = graphWrites(lab.onDisk().tenant.requestLog).length;
    const first = await planFor(lab, 'dedicated-hybrid-app');
    await apply(lab, first);
    const disk = lab.onDisk();
    const app0 = disk.tenant.applications.find((a) => a.displayName.startsWith('ExchangeServerApp-'));
    const sp0 = disk.tenant.servicePrincipals.find((sp) => sp.appId === app0?.appId);
    // The permission and the keys are two PATCHes of the application, each sent once.
    expect(graphWrites(disk.tenant.requestLog).slice(writesBefore)).toEqual([
      'POST /v1.0/applications',
      'POST /v1.0/servicePrincipals',
      `PATCH /v1.0/servicePrincipals/${sp0?.id}`,
      `PATCH /v1.0/applications/${app0?.id}`,
      `POST /v1.0/servicePrincipals/${sp0?.id}/appRoleAssignments`,
      `PATCH /v1.0/applications/${app0?.id}`,
    ]);
    const app = disk.tenant.applications.find((a) => a.displayName.startsWith('ExchangeServerApp-'));
    expect(app?.signInAudience).toBe('AzureADMyOrg');
    expect(app?.keyCredentials.map((key) => key.customKeyIdentifier)).toEqual([
      disk.org.authConfig.currentCertificateThumbprint,
    ]);
    const evoSts = disk.org.authServers.find((server) => server.type === 'AzureAD');
    expect(evoSts?.applicationIdentifier).toBe(app?.appId);

    const checks = await verifyRunbook(first.runbook, first.inputs, deps(lab));
    expect(checks.filter((check) => !check.ok)).toEqual([]);

    const second = await planFor(lab, 'dedicated-hybrid-app');
    expect(second.plan.steps.map((step) => [step.id, step.change])).toEqual(
      second.plan.steps.map((step) => [step.id, 'none']),
    );
    const after = lab.onDisk();
    expect(repeatedMutations(after.org.commandLog)).toEqual([]);
    expect(graphWrites(after.tenant.requestLog).length).toBe(writesBefore + 6);
  });
});

describe('hybrid-oauth in GCC High', () => {
  let lab: LabFixture;
  beforeAll(async () => {
    lab = await openLabFixture({ hybridOAuth: false, cloud: 'USGovernmentL4' });
  });
  afterAll(() => lab.close());

  it('points both auth servers at login.microsoftonline.us, which the tenant answers', async () => {
    const planned = await planFor(lab, 'hybrid-oauth', { cloud: 'USGovernmentL4' });
    const commands = planned.plan.steps.map((step) => step.command).join('\n');
    expect(commands).toContain('https://login.microsoftonline.us/');
    expect(commands).not.toContain('login.windows.net');
    await apply(lab, planned);
    const servers = lab.onDisk().org.authServers;
    expect(servers.map((server) => server.type).sort()).toEqual(['AzureAD', 'MicrosoftACS']);
  });
});

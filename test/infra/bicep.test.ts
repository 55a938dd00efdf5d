/**
 * The Azure template compiled by the real Bicep CLI: it builds without an error or a linter warning, and the
 * ARM JSON it makes deploys what infra/README.md promises. Without the CLI this fails under CI=true (.ci/run
 * installs it) and elsewhere is skipped with one line saying how to install it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from '../support/lab-org';

const TEMPLATE = path.join(__dirname, '..', '..', 'infra', 'azure', 'main.bicep');
const INSTALL = 'bash .ci/bicep (it installs Azure.Bicep.CommandLine.linux-x64 from NuGet to ~/.bicep/bicep)';

function findBicep(): string | null {
  const candidates = [process.env.HYBRIDOPS_BICEP, path.join(os.homedir(), '.bicep', 'bicep'), 'bicep'];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 60_000 });
      return candidate;
    } catch {
      // not there under this name; try the next
    }
  }
  return null;
}

const bicep = findBicep();

/** Compiles a Bicep file; resolves with the ARM JSON and what the CLI said on stderr. */
function compile(file: string): { status: number | null; json: Template | null; stderr: string } {
  const run = spawnSync(bicep ?? 'bicep', ['build', file, '--stdout'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return {
    status: run.status,
    json: run.status === 0 ? (JSON.parse(run.stdout) as Template) : null,
    stderr: run.stderr,
  };
}

interface Resource {
  readonly type: string;
  readonly condition?: string;
  readonly name: string;
  readonly sku?: { name?: string; capacity?: string };
  readonly identity?: { type: string };
  readonly properties: Record<string, unknown> & {
    siteConfig?: { appSettings: { name: string; value: string }[] } & Record<string, unknown>;
  };
}
interface Template {
  readonly parameters: Record<string, { type: string; minValue?: number; defaultValue?: unknown }>;
  readonly resources: Resource[];
  readonly outputs: Record<string, unknown>;
}

function describeWithBicep(title: string, body: () => void): void {
  if (bicep) {
    describe(title, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('has the Bicep CLI to compile with', () => {
        throw new Error(
          `No Bicep CLI (HYBRIDOPS_BICEP, ~/.bicep/bicep or bicep on PATH), and CI=true needs it: ${INSTALL}.`,
        );
      });
    });
    return;
  }
  process.stdout.write(`${title}: SKIPPED, no Bicep CLI (install it with ${INSTALL}).\n`);
  describe.skip(title, body);
}

describeWithBicep('the Azure template, compiled by the Bicep CLI', () => {
  jest.setTimeout(180_000);
  let template: Template;
  const ofType = (type: string) => template.resources.filter((resource) => resource.type === type);
  const site = () => ofType('Microsoft.Web/sites')[0] as Resource;
  const setting = (name: string) =>
    site().properties.siteConfig?.appSettings.find((s) => s.name === name)?.value;

  beforeAll(() => {
    const run = compile(TEMPLATE);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    template = run.json as Template;
  });

  it('counts a linter warning: an unused parameter is reported', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'warned.bicep');
      fs.writeFileSync(file, "param unused string = 'x'\n");
      const run = compile(file);
      expect(run.stderr).toMatch(/Warning no-unused-params/);
    } finally {
      cleanup();
    }
  });

  it('runs the bot on at least two instances, with the health check and WebSockets for the relay', () => {
    expect(template.parameters.instanceCount).toMatchObject({ minValue: 2, defaultValue: 2 });
    expect(ofType('Microsoft.Web/serverfarms')[0]?.sku?.capacity).toBe("[parameters('instanceCount')]");
    expect(site().properties.siteConfig).toMatchObject({
      healthCheckPath: '/healthz',
      webSocketsEnabled: true,
      alwaysOn: true,
      appCommandLine: 'npm start',
    });
  });

  it('signs the bot in with a user-assigned managed identity: no bot password anywhere', () => {
    expect(ofType('Microsoft.ManagedIdentity/userAssignedIdentities')).toHaveLength(1);
    expect(ofType('Microsoft.BotService/botServices')[0]?.properties).toMatchObject({
      msaAppType: 'UserAssignedMSI',
      msaAppMSIResourceId: expect.stringContaining('Microsoft.ManagedIdentity/userAssignedIdentities'),
    });
    expect(site().identity?.type).toBe('UserAssigned');
    expect(setting('MICROSOFT_APP_TYPE')).toBe('UserAssignedMSI');
    expect(setting('MICROSOFT_APP_PASSWORD')).toBeUndefined();
  });

  it('keeps every secret in Key Vault, read through Key Vault references with that identity', () => {
    expect(site().properties.keyVaultReferenceIdentity).toContain('userAssignedIdentities');
    expect(ofType('Microsoft.KeyVault/vaults')[0]?.properties).toMatchObject({
      enableRbacAuthorization: true,
    });
    expect(setting('HYBRIDOPS_DB')).toContain('@Microsoft.KeyVault(SecretUri=');
    expect(setting('HYBRIDOPS_GRAPH_CERTIFICATE')).toContain('@Microsoft.KeyVault(SecretUri=');
    expect(setting('HYBRIDOPS_GRAPH_CLIENT_SECRET')).toBeUndefined();
    const names = site().properties.siteConfig?.appSettings.map((s) => s.name) ?? [];
    const plain = (site().properties.siteConfig?.appSettings ?? []).filter(
      (s) => /PASSWORD|SECRET|_DB$|CERTIFICATE$/.test(s.name) && !s.value.includes('@Microsoft.KeyVault'),
    );
    expect(plain).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining(['HYBRIDOPS_GRAPH_MANAGED_IDENTITY', 'HYBRIDOPS_GRAPH_FEDERATED_IDENTITY']),
    );
    expect(template.parameters.graphCredential).toMatchObject({ defaultValue: 'certificate' });
    expect(template.parameters.postgresAdminPassword?.type).toBe('securestring');
  });

  it('serves many orgs from an orgs file when orgsFile is given, and one org from the parameters otherwise', () => {
    expect(setting('HYBRIDOPS_ORGS')).toBe("[parameters('orgsFile')]");
    expect(template.parameters.orgsFile).toMatchObject({ type: 'string', defaultValue: '' });
    for (const name of ['adminTeamId', 'adminChannelId', 'approvers', 'relayAgentId', 'orgDomain', 'orgDc'])
      expect(template.parameters[name]).toMatchObject({ defaultValue: '' });
  });

  it('adds each org’s Graph certificate as a Key Vault reference under its setting name, keeping the others', () => {
    expect(template.parameters.orgCertificates).toMatchObject({ type: 'array', defaultValue: [] });
    const [merged, ...more] = ofType('Microsoft.Web/sites/config');
    expect(more).toHaveLength(0);
    expect(merged?.condition).toBe("[not(empty(parameters('orgCertificates')))]");
    const properties = String(merged?.properties);
    // The site's settings as the template set them, read back, and one Key Vault reference per org.
    expect(properties).toMatch(
      /^\[union\(list\(resourceId\('Microsoft\.Web\/sites\/config', .*'appsettings'\)/,
    );
    expect(properties).toContain(
      "toObject(parameters('orgCertificates'), lambda('org', lambdaVariables('org').setting)",
    );
    expect(properties).toContain("format('@Microsoft.KeyVault(SecretUri={0}secrets/'");
    expect(properties).toContain("lambdaVariables('org').certificate");
  });

  it('stores the bot’s data in PostgreSQL flexible server, never in SQLite on /home', () => {
    const server = ofType('Microsoft.DBforPostgreSQL/flexibleServers')[0];
    expect(server?.properties).toMatchObject({ version: '16' });
    expect(ofType('Microsoft.DBforPostgreSQL/flexibleServers/databases')).toHaveLength(1);
    const secret = ofType('Microsoft.KeyVault/vaults/secrets')[0];
    expect(String(secret?.properties.value)).toContain('postgres://');
    expect(String(secret?.properties.value)).toContain('sslmode=require');
    expect(setting('HYBRIDOPS_DB')).not.toMatch(/\.db\b|\/home/);
  });

  it('sends telemetry to Application Insights through OpenTelemetry, signed in with Entra', () => {
    expect(ofType('Microsoft.Insights/components')[0]?.properties).toMatchObject({ DisableLocalAuth: true });
    expect(setting('APPLICATIONINSIGHTS_CONNECTION_STRING')).toContain('ConnectionString');
    expect(setting('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toContain('Authorization=AAD;ClientId=');
  });

  it('tells the admin what the agents dial and where Teams sends activities', () => {
    expect(Object.keys(template.outputs)).toEqual(
      expect.arrayContaining([
        'messagingEndpoint',
        'relayUrl',
        'siteName',
        'botAppId',
        'botPrincipalId',
        'keyVaultName',
      ]),
    );
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { loadProductionOrgs } from '../../src/config/production-orgs';
import { tempDir } from '../support/lab-org';

const ORG = {
  id: 'contoso',
  domain: 'Contoso.com',
  dc: 'dc01.contoso.com',
  tenantId: '11111111-2222-3333-4444-555555555555',
  agentId: 'contoso-ex01',
  graph: { clientId: 'app-1', credential: { certificateSetting: 'GRAPH_CERT_CONTOSO' } },
  channel: { teamId: '19:team@thread.tacv2', channelId: '19:contoso@thread.tacv2' },
  approvers: ['00000000-0000-0000-0000-0000000000B1'],
};
const PEM = '-----BEGIN CERTIFICATE-----\nMII…\n-----END CERTIFICATE-----';

describe('the orgs the production bot serves', () => {
  const { dir, cleanup } = tempDir('hybridops-production-orgs-');
  afterAll(cleanup);
  const withFile = (orgs: unknown[]) => {
    const file = path.join(dir, `orgs-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify({ orgs }));
    return file;
  };
  const load = (env: NodeJS.ProcessEnv) => loadProductionOrgs(loadConfig({ LOG_LEVEL: 'silent' }), env);

  it('reads each org of the file with its Graph credential from the app setting it names', () => {
    const second = {
      ...ORG,
      id: 'fabrikam',
      domain: 'fabrikam.com',
      agentId: 'fabrikam-ex01',
      graph: { clientId: 'app-2', credential: { managedIdentity: true } },
      channel: { tenantId: '99999999-8888-7777-6666-555555555555', teamId: 'T', channelId: 'C' },
    };
    const served = load({ HYBRIDOPS_ORGS: withFile([ORG, second]), GRAPH_CERT_CONTOSO: PEM });
    expect(served.fromFile).toBe(true);
    expect(
      served.orgs.map((org) => [org.id, org.domain, org.graphCredential.kind, org.channel.tenantId]),
    ).toEqual([
      ['contoso', 'contoso.com', 'certificate', '11111111-2222-3333-4444-555555555555'],
      ['fabrikam', 'fabrikam.com', 'managed-identity', '99999999-8888-7777-6666-555555555555'],
    ]);
    expect(served.orgs[0]?.approvers).toEqual(['00000000-0000-0000-0000-0000000000b1']);
  });

  it('stops the start with a sentence naming the org and what to fix', () => {
    const file = withFile([ORG]);
    expect(() => load({ HYBRIDOPS_ORGS: file })).toThrow(
      'Set GRAPH_CERT_CONTOSO: org "contoso" keeps its Graph credential there (on App Service, a Key Vault reference).',
    );
    expect(() =>
      load({
        HYBRIDOPS_ORGS: file,
        GRAPH_CERT_CONTOSO: '@Microsoft.KeyVault(SecretUri=https://kv/secrets/x)',
      }),
    ).toThrow('Key Vault reference App Service could not resolve');
    expect(() => load({ HYBRIDOPS_ORGS: withFile([{ ...ORG, approvers: [] }]) })).toThrow(
      'org "contoso", approvers: at least one approver',
    );
    expect(() => load({ HYBRIDOPS_ORGS: withFile([ORG, { ...ORG, id: 'other', agentId: 'x' }]) })).toThrow(
      'orgs "contoso" and "other" have the same domain',
    );
    expect(() => load({ HYBRIDOPS_ORGS: withFile([]) })).toThrow('Add an org to');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"orgs": [');
    expect(() => load({ HYBRIDOPS_ORGS: path.join(dir, 'broken.json') })).toThrow('it is not JSON');
  });

  it('without a file serves the one org of the environment, as before', () => {
    const served = loadProductionOrgs(
      loadConfig({
        HYBRIDOPS_TENANT_ID: ORG.tenantId,
        HYBRIDOPS_ADMIN_TEAM_ID: 'T',
        HYBRIDOPS_ADMIN_CHANNEL_ID: 'C',
        HYBRIDOPS_OPERATORS: '00000000-0000-0000-0000-0000000000a1',
        HYBRIDOPS_APPROVERS: '00000000-0000-0000-0000-0000000000b1',
      }),
      {
        HYBRIDOPS_GRAPH_CLIENT_ID: 'app-1',
        HYBRIDOPS_GRAPH_CLIENT_SECRET: 's',
        HYBRIDOPS_RELAY_AGENT_ID: 'ex01',
        HYBRIDOPS_ORG_DOMAIN: 'contoso.com',
        HYBRIDOPS_ORG_DC: 'dc01.contoso.com',
      },
    );
    expect(served.fromFile).toBe(false);
    expect(served.orgs.map((org) => [org.id, org.agentId, org.channel.channelId])).toEqual([
      ['contoso.com', 'ex01', 'C'],
    ]);
  });
});

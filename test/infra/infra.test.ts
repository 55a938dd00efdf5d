import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { descendants, parsePowerShell } from '../../src/exchange/tree';

const INFRA = path.join(__dirname, '..', '..', 'infra');

describe('the agent installer script', () => {
  const script = fs.readFileSync(path.join(INFRA, 'agent', 'Install-HybridOpsAgent.ps1'), 'utf8');

  it('parses as PowerShell without a syntax error', () => {
    const tree = parsePowerShell(script);
    const broken = descendants(tree.rootNode).filter((node) => node.type === 'ERROR' || node.isMissing);
    expect(broken.map((node) => `${node.startPosition.row + 1}: ${node.text.slice(0, 40)}`)).toEqual([]);
  });

  it('installs the bundled agent and starts it with node and the options the agent accepts', () => {
    expect(script).toContain("'hybridops-agent.js', 'better_sqlite3.node'");
    expect(script).not.toMatch(/tsx|src\\relay|npm ci/);
    for (const option of ['--hub', '--id', '--key-file', '--exchange', '--log-file']) {
      expect(script).toContain(`'${option}'`);
    }
    const root = path.join(__dirname, '..', '..');
    const missingKey = path.join(root, 'no-such.key.json');
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        path.join(root, 'src', 'relay', 'agent.ts'),
        '--hub',
        'wss://bot.contoso.com/relay',
        '--id',
        'ex01',
        '--key-file',
        missingKey,
        '--exchange',
        'local',
        '--log-file',
        path.join(root, 'no-such-logs', 'ex01.log'),
      ],
      { cwd: root, encoding: 'utf8', timeout: 20_000 },
    );
    // The agent got as far as reading its key file: every option was accepted.
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('no-such.key.json');
    expect(run.stderr).not.toMatch(/Unknown option/i);
  });
});

describe('the Azure template', () => {
  const template = fs.readFileSync(path.join(INFRA, 'azure', 'main.bicep'), 'utf8');
  const example = JSON.parse(fs.readFileSync(path.join(INFRA, 'azure', 'parameters.example.json'), 'utf8'));

  it('gives every required parameter but the secure ones a value in the example, and names no other', () => {
    const parameters = [...template.matchAll(/^param (\w+) \w+/gm)].map((match) => match[1]);
    const required = [...template.matchAll(/^param (\w+) \w+$/gm)].map((match) => match[1]);
    // A secure parameter (the PostgreSQL password) is given on the command line, never kept in a file.
    const secure = [...template.matchAll(/^@secure\(\)\n(?:@.*\n)*param (\w+)/gm)].map((match) => match[1]);
    expect(parameters.length).toBeGreaterThan(5);
    expect(required).toEqual(['postgresAdminPassword']);
    expect(secure).toEqual(['postgresAdminPassword']);
    const given = Object.keys(example.parameters);
    expect(given).toEqual(expect.arrayContaining(required.filter((name) => !secure.includes(name))));
    expect(parameters).toEqual(expect.arrayContaining(given));
    expect(given).not.toContain('postgresAdminPassword');
    // The example is the one-org deployment: its admin channel, people, agent and org (an orgs file replaces them).
    expect(given).toEqual(
      expect.arrayContaining([
        'adminTeamId',
        'adminChannelId',
        'operators',
        'approvers',
        'relayAgentId',
        'orgDomain',
        'orgDc',
      ]),
    );
    expect(given).not.toContain('orgsFile');
  });

  it('sets every setting the production entry requires', () => {
    for (const name of [
      'MICROSOFT_APP_ID',
      'HYBRIDOPS_TENANT_ID',
      'HYBRIDOPS_ADMIN_TEAM_ID',
      'HYBRIDOPS_ADMIN_CHANNEL_ID',
      'HYBRIDOPS_OPERATORS',
      'HYBRIDOPS_APPROVERS',
      'HYBRIDOPS_GRAPH_CLIENT_ID',
      'HYBRIDOPS_RELAY_AGENT_ID',
      'HYBRIDOPS_ORG_DOMAIN',
      'HYBRIDOPS_ORG_DC',
    ]) {
      expect(template).toContain(`name: '${name}'`);
    }
    expect(template).toMatch(/webSocketsEnabled: true/);
  });
});

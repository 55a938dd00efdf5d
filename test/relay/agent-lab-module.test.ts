/**
 * The agent entry with `--executor powershell --exchange lab`: a real agent process whose pwsh imports
 * HybridOps.Lab instead of Exchange, on a lab file or on a running lab module endpoint, and says so on stderr.
 */
import path from 'node:path';
import { SimulatedExchange } from '../../src/lab/exchange-org';
import { createLabState } from '../../src/lab/init';
import { loadLabFile } from '../../src/lab/lab-file';
import { startLabModuleEndpoint } from '../../src/lab/powershell-endpoint';
import { main } from '../../src/relay/agent';
import type { AgentEvent } from '../../src/relay/agent-client';
import { registerAgent } from '../../src/relay/agent-registry';
import { RelayEmsRunner } from '../../src/relay/ems-runner';
import { writeAgentKeyFile } from '../../src/relay/key-file';
import { publicKeyPem } from '../../src/relay/signing';
import { DOMAIN, fixedClock, tempDir, writeLabOrg } from '../support/lab-org';
import { describeWithShell } from '../support/pwsh';
import { type ChildFixture, type HubFixture, spawnTs, startHub } from './support';

const clock = fixedClock();
const NEW_MAIL_USER = {
  cmdlet: 'New-MailUser',
  params: { Name: 'TeamsScheduler', ExternalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com' },
} as const;

interface World {
  readonly dir: string;
  readonly hub: HubFixture;
  readonly keyFile: string;
  readonly ems: RelayEmsRunner;
  close(): Promise<void>;
}

async function startWorld(): Promise<World> {
  const { dir, cleanup } = tempDir('hybridops-agent-lab-');
  const hub = await startHub();
  const keyFile = path.join(dir, 'ex01.key.json');
  const secret = await registerAgent(hub.store, 'ex01', new Date().toISOString());
  writeAgentKeyFile(keyFile, { agentId: 'ex01', secret, botPublicKey: publicKeyPem(hub.signingKey) });
  return {
    dir,
    hub,
    keyFile,
    ems: new RelayEmsRunner(hub.hub, { agentId: 'ex01' }),
    async close() {
      await hub.close();
      cleanup();
    },
  };
}

/** Stops the agent as an operator would (SIGTERM: it closes its shell) and waits for it to exit. */
async function stop(agent: ChildFixture<unknown>): Promise<void> {
  if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill('SIGTERM');
  await agent.exited;
}

describeWithShell('the agent with --executor powershell --exchange lab', () => {
  jest.setTimeout(120_000);
  let world: World;
  let agent: ChildFixture<AgentEvent> | undefined;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    if (agent) await stop(agent);
    agent = undefined;
    await world.close();
  });

  const spawnAgent = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnTs<AgentEvent>(
      'src/relay/agent.ts',
      [
        '--hub',
        world.hub.url,
        '--key-file',
        world.keyFile,
        '--executor',
        'powershell',
        '--exchange',
        'lab',
        '--events',
        ...args,
      ],
      env,
    );

  it('runs jobs through pwsh and HybridOps.Lab on the lab file, saying on stderr that it is the lab', async () => {
    const labFile = await writeLabOrg(world.dir, clock);
    agent = spawnAgent(['--lab', labFile]);
    await agent.log.waitFor((event) => event.type === 'connected', 60_000, 'agent connected');

    const result = await world.ems.run(NEW_MAIL_USER);
    expect(result).toMatchObject({ ok: true, output: [{ Name: 'TeamsScheduler' }] });
    const log = loadLabFile(labFile).org.commandLog;
    expect(log.map(({ cmdlet, params, ok }) => ({ cmdlet, params, ok }))).toEqual([
      { cmdlet: 'New-MailUser', params: NEW_MAIL_USER.params, ok: true },
    ]);
    expect(agent.stderr.join('')).toMatch(
      new RegExp(
        `relay agent ex01: Exchange is the lab module HybridOps.Lab on the lab file ${labFile.replace(/[.\\]/g, '\\$&')} \\(served at http://127\\.0\\.0\\.1:\\d+/\\), not Exchange\\.`,
      ),
    );
  });

  it('reaches the running lab module endpoint its environment names', async () => {
    const state = await createLabState({ now: clock.now(), domain: DOMAIN });
    const endpoint = await startLabModuleEndpoint(
      new SimulatedExchange(state, { clock, persist: () => undefined }),
    );
    try {
      agent = spawnAgent([], { ...process.env, ...endpoint.env });
      await agent.log.waitFor((event) => event.type === 'connected', 60_000, 'agent connected');

      const [result] = await world.ems.runReads([{ cmdlet: 'Get-AuthConfig', params: {} }]);
      expect(result?.ok).toBe(true);
      expect(state.org.commandLog.map((entry) => entry.cmdlet)).toEqual(['Get-AuthConfig']);
      expect(agent.stderr.join('')).toContain(
        `relay agent ex01: Exchange is the lab module HybridOps.Lab at ${endpoint.url} (HYBRIDOPS_LAB_URL), not Exchange.`,
      );
    } finally {
      await stop(agent as ChildFixture<AgentEvent>);
      await endpoint.close();
    }
  });
});

describe('the agent’s --exchange option', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world.close());

  const start = (args: string[]) =>
    main(['--hub', world.hub.url, '--key-file', world.keyFile, '--executor', 'powershell', ...args]);

  it('refuses --exchange lab with neither a lab file nor an endpoint', async () => {
    const { HYBRIDOPS_LAB_URL: _url, HYBRIDOPS_LAB_SECRET: _secret, ...env } = process.env;
    const saved = process.env;
    process.env = env;
    try {
      await expect(start(['--exchange', 'lab'])).rejects.toThrow(
        '--exchange lab needs --lab FILE, or HYBRIDOPS_LAB_URL and HYBRIDOPS_LAB_SECRET naming a running lab module endpoint.',
      );
    } finally {
      process.env = saved;
    }
  });

  it('refuses an Exchange it does not know, and a lab file without the lab', async () => {
    await expect(start(['--exchange', 'EX01'])).rejects.toThrow(
      '--exchange must be local or remote (or lab, for the lab), not "EX01".',
    );
    await expect(start(['--lab', path.join(world.dir, 'org.json')])).rejects.toThrow(
      '--lab FILE is for --executor lab or --exchange lab.',
    );
  });
});

/**
 * The relay agent as built for the Exchange server: one JavaScript file with better-sqlite3's addon beside
 * it, holding only what the agent needs, and working from a folder with no node_modules anywhere near.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentEvent } from '../../src/relay/agent-client';
import { registerAgent } from '../../src/relay/agent-registry';
import { RelayEmsRunner } from '../../src/relay/ems-runner';
import { writeAgentKeyFile } from '../../src/relay/key-file';
import { publicKeyPem } from '../../src/relay/signing';
import { type HubFixture, kill, spawnNode, startHub } from '../relay/support';
import { build } from './support';

jest.setTimeout(120_000);

const BUNDLE = 'hybridops-agent.js';

/** A run of the bundle to its end. */
function runBundle(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(dir, BUNDLE), ...args],
      { cwd: dir, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the bundled relay agent', () => {
  let out: string;
  /** The agent folder copied where no node_modules can be found by walking up. */
  let agentDir: string;
  let metafile: { inputs: Record<string, unknown> };

  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-agent-build-'));
    await build(out, { agentOnly: true });
    metafile = JSON.parse(fs.readFileSync(path.join(out, 'agent-bundle.meta.json'), 'utf8'));
    agentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-agent-'));
    fs.cpSync(path.join(out, 'agent'), agentDir, { recursive: true });
  });
  afterAll(() => {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(agentDir, { recursive: true, force: true });
  });

  it('is one script, better-sqlite3’s addon and the installer', () => {
    expect(fs.readdirSync(agentDir).sort()).toEqual([
      'Install-HybridOpsAgent.ps1',
      'better_sqlite3.node',
      'hybridops-agent.js',
    ]);
  });

  it('holds the agent’s parts and no Teams, bot, store-server or lab code', () => {
    const inputs = Object.keys(metafile.inputs);
    for (const needed of [
      'src/relay/agent.ts',
      'src/relay/agent-store.ts',
      'src/exchange/validate.ts',
      'src/relay/executors/powershell.ts',
    ]) {
      expect(inputs).toContain(needed);
    }
    for (const needed of [
      'node_modules/ws/',
      'node_modules/node-powershell/',
      'node_modules/better-sqlite3/',
    ]) {
      expect(inputs.some((input) => input.startsWith(needed))).toBe(true);
    }
    const foreign = inputs.filter((input) =>
      /node_modules\/(botbuilder|@microsoft\/teams-ai|restify|kysely|pg\/|@azure\/)|^src\/(lab|bot|playground|engine|store\/kysely)\//.test(
        input,
      ),
    );
    expect(foreign).toEqual([]);
    const text = fs.readFileSync(path.join(agentDir, BUNDLE), 'utf8');
    for (const marker of [
      'node_modules/botbuilder',
      'node_modules/@microsoft/teams-ai',
      'node_modules/restify',
      'src/lab/',
    ]) {
      expect(text).not.toContain(marker);
    }
  });

  it('answers --help and a bad argument with its usage', async () => {
    const help = await runBundle(agentDir, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: node hybridops-agent\.js --hub wss:\/\/BOT\/relay --id ID --key-file FILE/,
    );
    const bad = await runBundle(agentDir, ['--hub', 'wss://bot.contoso.com/relay', '--colour', 'blue']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--colour'");
    expect(bad.stderr).toContain('Usage: node hybridops-agent.js');
  });

  it('says where the lab executors are instead of loading the simulated org', async () => {
    const keyFile = path.join(agentDir, 'lab.key.json');
    const hub = await startHub();
    try {
      const secret = await registerAgent(hub.store, 'lab01', new Date().toISOString());
      writeAgentKeyFile(keyFile, {
        agentId: 'lab01',
        secret,
        botPublicKey: publicKeyPem(hub.signingKey),
        hubUrl: hub.url,
      });
      const run = await runBundle(agentDir, [
        '--key-file',
        keyFile,
        '--executor',
        'lab',
        '--lab',
        'org.json',
        '--log-file',
        'none',
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'The bundled agent has no lab executor: run the agent from a checkout of hybridops',
      );
      const viaModule = await runBundle(agentDir, [
        '--key-file',
        keyFile,
        '--executor',
        'powershell',
        '--exchange',
        'lab',
        '--lab',
        'org.json',
        '--log-file',
        'none',
      ]);
      expect(viaModule.code).toBe(2);
      expect(viaModule.stderr).toContain('The bundled agent has no lab executor');
    } finally {
      await hub.close();
    }
  });

  describe('against a hub', () => {
    let hub: HubFixture;
    beforeEach(async () => {
      hub = await startHub();
    });
    afterEach(async () => {
      await hub.close();
    });

    it('connects, runs a job and logs it to its rotating file, noting that the event log is skipped here', async () => {
      const secret = await registerAgent(hub.store, 'ex01', new Date().toISOString());
      const keyFile = path.join(agentDir, 'ex01.key.json');
      writeAgentKeyFile(keyFile, { agentId: 'ex01', secret, botPublicKey: publicKeyPem(hub.signingKey) });
      const agent = spawnNode<AgentEvent>(
        path.join(agentDir, BUNDLE),
        [
          '--hub',
          hub.url,
          '--id',
          'ex01',
          '--key-file',
          keyFile,
          '--executor',
          'noop',
          '--events',
          '--backoff-ms',
          '50',
        ],
        agentDir,
      );
      try {
        await agent.log.waitFor((event) => event.type === 'connected', 30_000, 'the bundled agent connected');
        const ems = new RelayEmsRunner(hub.hub, { agentId: 'ex01' });
        await expect(ems.run({ cmdlet: 'Get-OrganizationConfig', params: {} })).resolves.toEqual({
          ok: true,
          output: [],
        });
        await agent.log.waitFor((event) => event.type === 'result-acked', 10_000);
      } finally {
        agent.child.kill('SIGTERM');
        await agent.exited;
        await kill(agent);
      }
      const logs = path.join(agentDir, 'logs');
      const lines = fs
        .readdirSync(logs)
        .flatMap((name) => fs.readFileSync(path.join(logs, name), 'utf8').split('\n').filter(Boolean))
        .map((line) => JSON.parse(line) as { msg: string; agentId: string });
      expect(lines[0]?.msg).toBe(
        "Windows event log: skipped on linux; this log and its file are the agent's record",
      );
      expect(lines.map((line) => line.msg)).toEqual(
        expect.arrayContaining([
          'relay agent started',
          'agent connected',
          'agent job-accepted',
          'agent result-sent',
          'relay agent stopped',
        ]),
      );
      expect(lines.every((line) => line.agentId === 'ex01')).toBe(true);
    });
  });
});

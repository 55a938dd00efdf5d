/**
 * `npm run build`, then a production install (only the packages `npm ci --omit=dev` installs): `npm start`
 * runs dist/index.js, answers the health check and the relay; `bin/hybridops.js` runs the compiled CLI;
 * the bundled agent from the same build connects to it.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { AgentEvent } from '../../src/relay/agent-client';
import { EventLog } from '../relay/support';
import { type ProductionInstall, productionInstall, ROOT } from './support';

jest.setTimeout(300_000);

const TENANT = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const PERSON = '00000000-0000-0000-0000-0000000000a1';

/** A minimal valid production environment; Graph and Entra point at a closed loopback port. */
function productionEnv(dir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    HYBRIDOPS_DB: path.join(dir, 'data', 'hybridops.db'),
    HYBRIDOPS_TENANT_ID: TENANT,
    HYBRIDOPS_ADMIN_TEAM_ID: '19:team@thread.tacv2',
    HYBRIDOPS_ADMIN_CHANNEL_ID: '19:admins@thread.tacv2',
    HYBRIDOPS_OPERATORS: PERSON,
    HYBRIDOPS_APPROVERS: PERSON,
    HYBRIDOPS_GRAPH_CLIENT_ID: '6b0c3c0e-3d1c-4a55-9a45-4f1d2c3b4a59',
    HYBRIDOPS_GRAPH_CLIENT_SECRET: 'not-used-in-this-test',
    HYBRIDOPS_GRAPH_URL: 'https://127.0.0.1:9/',
    AZURE_AUTHORITY_HOST: 'https://127.0.0.1:9',
    HYBRIDOPS_RELAY_AGENT_ID: 'ex01',
    HYBRIDOPS_ORG_DOMAIN: 'contoso.com',
    HYBRIDOPS_ORG_DC: 'dc01.contoso.com',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
}

function run(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Spawns a process whose stdout or stderr lines are JSON; each parsed line is an event. */
function spawnJsonLines<E>(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  from: 'stdout' | 'stderr',
) {
  const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new EventLog<E>();
  const text: string[] = [];
  readline.createInterface({ input: child[from] as NodeJS.ReadableStream }).on('line', (line) => {
    text.push(line);
    try {
      log.push(JSON.parse(line) as E);
    } catch {
      // not a JSON line (npm's own header)
    }
  });
  child[from === 'stdout' ? 'stderr' : 'stdout']?.on('data', (chunk: Buffer) => text.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, log, text, exited };
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  return exited;
}

describe('a production install of the build', () => {
  let install: ProductionInstall;
  beforeAll(async () => {
    install = await productionInstall();
  });
  afterAll(() => install?.cleanup());

  it('holds the production dependencies and none of the build, test or lab tools', () => {
    const names = new Set(install.packages.map((location) => location.replace(/^.*node_modules\//, '')));
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies)) expect(names).toContain(name);
    for (const tool of [
      'tsx',
      'esbuild',
      'typescript',
      'jest',
      'ts-jest',
      '@biomejs/biome',
      'dependency-cruiser',
      'playwright-core',
      '@microsoft/m365agentsplayground',
      '@microsoft/app-manifest',
    ]) {
      expect(names).not.toContain(tool);
    }
    expect(fs.existsSync(path.join(install.dir, 'dist', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(install.dir, 'dist', 'lab', 'powershell', 'HybridOps.Lab.psd1'))).toBe(
      true,
    );
  });

  it('starts as npm start does, from dist/, answers the health check and the relay, and stops on SIGTERM', async () => {
    const { dir } = install;
    const env = productionEnv(dir);
    // npm start's command, run directly so that SIGTERM reaches the bot itself rather than npm.
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest.scripts.start).toBe('node dist/index.js');
    const bot = spawnJsonLines<{ msg?: string; url?: string }>(
      process.execPath,
      ['dist/index.js'],
      dir,
      env,
      'stderr',
    );
    let agent: ReturnType<typeof spawnJsonLines<AgentEvent>> | null = null;
    try {
      const listening = await bot.log.waitFor(
        (line) => line.msg?.startsWith('hybridops listening') ?? false,
        60_000,
      );
      const base = String(listening.url).replace('0.0.0.0', '127.0.0.1');
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, store: 'reachable' });

      // The compiled CLI (no tsx here) registers the agent in the bot's store.
      const keyFile = path.join(dir, 'ex01.key.json');
      const hub = `${base.replace('http', 'ws')}/relay`;
      const added = await run(
        process.execPath,
        ['bin/hybridops.js', 'agents', 'add', '--id', 'ex01', '--out', keyFile, '--hub', hub],
        { cwd: dir, env },
      );
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);

      const bundle = path.join(dir, 'dist', 'agent', 'hybridops-agent.js');
      agent = spawnJsonLines<AgentEvent>(
        process.execPath,
        [bundle, '--key-file', keyFile, '--executor', 'noop', '--events', '--backoff-ms', '50'],
        dir,
        { PATH: process.env.PATH },
        'stdout',
      );
      await agent.log.waitFor((event) => event.type === 'connected', 30_000, 'the bundled agent connected');
      const listed = await run(process.execPath, ['bin/hybridops.js', 'agents', 'list', '--json'], {
        cwd: dir,
        env,
      });
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: 'ex01' })]);
    } finally {
      if (agent) await stop(agent.child, agent.exited);
      const code = await stop(bot.child, bot.exited);
      expect(code).toBe(0);
    }
    expect(bot.text.join('\n')).toContain('"telemetry":"off"');
  });

  it('serves every org of an orgs file written with the compiled CLI, and refuses to start without its credential', async () => {
    const { dir } = install;
    const orgsFile = path.join(dir, 'orgs.json');
    const base = productionEnv(dir);
    const env: NodeJS.ProcessEnv = {
      PATH: base.PATH,
      HOME: dir,
      HYBRIDOPS_DB: path.join(dir, 'data', 'orgs.db'),
      HYBRIDOPS_ORGS: orgsFile,
      HYBRIDOPS_GRAPH_URL: base.HYBRIDOPS_GRAPH_URL,
      AZURE_AUTHORITY_HOST: base.AZURE_AUTHORITY_HOST,
      PORT: '0',
      LOG_LEVEL: 'info',
    };
    for (const org of ['contoso', 'fabrikam']) {
      const added = await run(
        process.execPath,
        [
          'bin/hybridops.js',
          'orgs',
          'add',
          '--id',
          org,
          '--domain',
          `${org}.com`,
          '--dc',
          `dc01.${org}.com`,
          '--tenant-id',
          org === 'contoso' ? TENANT : '4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d',
          '--agent',
          `${org}-ex01`,
          '--team',
          '19:msp@thread.tacv2',
          '--channel',
          `19:${org}@thread.tacv2`,
          '--channel-tenant-id',
          TENANT,
          '--approvers',
          PERSON,
          '--operators',
          PERSON,
          '--graph-client-id',
          '6b0c3c0e-3d1c-4a55-9a45-4f1d2c3b4a59',
          '--graph-secret-setting',
          `GRAPH_SECRET_${org.toUpperCase()}`,
        ],
        { cwd: dir, env },
      );
      expect(added).toMatchObject({ code: 0, stderr: '' });
    }
    const refused = await run(process.execPath, ['dist/index.js'], {
      cwd: dir,
      env: { ...env, GRAPH_SECRET_CONTOSO: 'not-used' },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Set GRAPH_SECRET_FABRIKAM: org "fabrikam" keeps its Graph credential there',
    );

    const bot = spawnJsonLines<{ msg?: string; url?: string; orgs?: number }>(
      process.execPath,
      ['dist/index.js'],
      dir,
      { ...env, GRAPH_SECRET_CONTOSO: 'not-used', GRAPH_SECRET_FABRIKAM: 'not-used' },
      'stderr',
    );
    try {
      const starting = await bot.log.waitFor((line) => line.msg === 'hybridops starting', 60_000);
      expect(starting.orgs).toBe(2);
      const listening = await bot.log.waitFor(
        (line) => line.msg?.startsWith('hybridops listening') ?? false,
        60_000,
      );
      const health = await fetch(`${String(listening.url).replace('0.0.0.0', '127.0.0.1')}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      expect(await stop(bot.child, bot.exited)).toBe(0);
    }
  });

  it('loads Application Insights’ OpenTelemetry distro as CommonJS from the production packages', async () => {
    const loaded = await run(
      process.execPath,
      ['-e', "process.stdout.write(typeof require('@azure/monitor-opentelemetry').useAzureMonitor)"],
      { cwd: install.dir, env: { PATH: process.env.PATH } },
    );
    expect(loaded).toMatchObject({ code: 0, stdout: 'function' });
  });
});

/** `hybridops agents list|add|revoke` manages the registry a hub on the same database trusts. */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, requireRelaySigningKey } from '../../src/config/load-config';
import { noopExecutor } from '../../src/relay/executors/noop';
import { readAgentKeyFile } from '../../src/relay/key-file';
import { loadOrCreateSigningKey } from '../../src/relay/signing';
import { fixedClock, tempDir } from '../support/lab-org';
import { cli } from '../support/run-cli';
import { startAgent, startHub } from './support';

const clock = fixedClock();

describe('the agents command', () => {
  let dir: string;
  let cleanup: () => void;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    env = { HYBRIDOPS_DB: path.join(dir, 'bot.db') };
  });
  afterEach(() => cleanup());

  async function connects(keyFile: string): Promise<'connected' | number> {
    const key = readAgentKeyFile(keyFile);
    const hub = await startHub({
      dbFile: env.HYBRIDOPS_DB as string,
      signingKey: loadOrCreateSigningKey(requireRelaySigningKey(loadConfig(env))),
    });
    const agent = startAgent({
      hubUrl: hub.url,
      agentId: key.agentId,
      secret: key.secret,
      botKey: hub.signingKey,
      executor: noopExecutor(),
    });
    try {
      const event = await agent.log.waitFor((e) => e.type === 'connected' || e.type === 'refused-by-hub');
      return event.type === 'connected' ? 'connected' : (event as { status: number }).status;
    } finally {
      await agent.stop();
      await hub.close();
    }
  }

  it('adds an agent, writing an owner-only key file that pins the bot key and lets the agent in', async () => {
    const keyFile = path.join(dir, 'ex01.json');
    const added = await cli(
      ['agents', 'add', '--id', 'ex01', '--out', keyFile, '--hub', 'wss://bot.contoso.com/relay'],
      env,
      clock,
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readAgentKeyFile(keyFile);
    expect(key).toMatchObject({ agentId: 'ex01', hubUrl: 'wss://bot.contoso.com/relay' });
    expect(fs.readFileSync(env.HYBRIDOPS_DB as string).includes(key.secret)).toBe(false);
    expect(await connects(keyFile)).toBe('connected');
    const listed = await cli(['agents', 'list', '--json'], env, clock);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: 'ex01', revokedAt: null })]);
  });

  it('refuses to add the same agent twice, and rotates its key with --force', async () => {
    const first = path.join(dir, 'first.json');
    const second = path.join(dir, 'second.json');
    await cli(['agents', 'add', '--id', 'ex01', '--out', first], env, clock);
    const again = await cli(['agents', 'add', '--id', 'ex01', '--out', second], env, clock);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already registered; add --force to rotate/);
    expect((await cli(['agents', 'add', '--id', 'ex01', '--out', second, '--force'], env, clock)).code).toBe(
      0,
    );
    expect(await connects(first)).toBe(401);
    expect(await connects(second)).toBe('connected');
  });

  it('revokes an agent so that the hub refuses it', async () => {
    const keyFile = path.join(dir, 'ex01.json');
    await cli(['agents', 'add', '--id', 'ex01', '--out', keyFile], env, clock);
    expect((await cli(['agents', 'revoke', '--id', 'ex01'], env, clock)).code).toBe(0);
    expect(await connects(keyFile)).toBe(401);
    expect((await cli(['agents', 'list'], env, clock)).stdout).toMatch(/^ex01\s+revoked /);
  });

  it('registers nothing when the key file cannot be written', async () => {
    const taken = path.join(dir, 'taken.json');
    fs.writeFileSync(taken, 'someone else’s file');
    const refused = await cli(['agents', 'add', '--id', 'ex01', '--out', taken], env, clock);
    expect(refused.code).not.toBe(0);
    expect(fs.readFileSync(taken, 'utf8')).toBe('someone else’s file');
    expect(JSON.parse((await cli(['agents', 'list', '--json'], env, clock)).stdout)).toEqual([]);
  });

  it('says how to fix a bad id or an unknown agent', async () => {
    const bad = await cli(
      ['agents', 'add', '--id', 'EX 01;rm', '--out', path.join(dir, 'x.json')],
      env,
      clock,
    );
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toMatch(/lower-case letters, digits and dashes/);
    const unknown = await cli(['agents', 'revoke', '--id', 'ghost'], env, clock);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No agent ghost/);
  });

  it('refuses a hub URL the agent would send its secret to in cleartext, and registers nothing', async () => {
    const out = path.join(dir, 'ex01.key.json');
    const refused = await cli(
      ['agents', 'add', '--id', 'ex01', '--out', out, '--hub', 'ws://hybridops.contoso.com/relay'],
      env,
      clock,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cleartext/);
    expect(refused.stderr.split('\n')).toHaveLength(1);
    expect(fs.existsSync(out)).toBe(false);
    expect(JSON.parse((await cli(['agents', 'list', '--json'], env, clock)).stdout)).toEqual([]);
  });
});

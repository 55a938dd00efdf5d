/** The agent reconnects with capped, jittered backoff and shuts down without leaving jobs in doubt. */
import type { EmsCommand } from '../../src/core/ems';
import { backoffDelay, checkHubUrl } from '../../src/relay/agent-connection';
import { registerAgent } from '../../src/relay/agent-registry';
import { RelayEmsRunner } from '../../src/relay/ems-runner';
import { noopExecutor } from '../../src/relay/executors/noop';
import type { JobExecutor } from '../../src/relay/executors/types';
import { generateSigningKey } from '../../src/relay/signing';
import { type HubFixture, startAgent, startHub } from './support';

describe('reconnect backoff', () => {
  it('doubles from the initial delay up to the cap, with jitter between half and all of it', () => {
    const low = () => 0;
    const high = () => 1;
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, 500, 30_000, high))).toEqual([
      500, 1_000, 2_000, 4_000, 30_000,
    ]);
    expect([0, 1, 10, 1_000].map((attempt) => backoffDelay(attempt, 500, 30_000, low))).toEqual([
      250, 500, 15_000, 15_000,
    ]);
  });
});

describe('the hub URL', () => {
  it.each([
    'wss://hybridops.contoso.com/relay',
    'ws://127.0.0.1:3978/relay',
    'ws://localhost:3978/relay',
    'ws://[::1]:3978/relay',
  ])('accepts %s', (url) => {
    expect(() => checkHubUrl(url)).not.toThrow();
  });

  it.each([
    ['ws://hybridops.contoso.com/relay', /in cleartext: use wss:\/\/ \(ws:\/\/ only to this machine\)\.$/],
    ['ws://10.0.0.5/relay', /in cleartext/],
    ['ws://127.0.0.1.evil.example/relay', /in cleartext/],
    ['http://hybridops.contoso.com/relay', /must start with wss:\/\//],
    ['hybridops.contoso.com', /is not a URL/],
  ])('refuses %s in one sentence, and an agent given it never dials', (url, sentence) => {
    expect(() => checkHubUrl(url)).toThrow(sentence);
    expect(() =>
      startAgent({
        hubUrl: url,
        agentId: 'ex01',
        secret: 'x',
        botKey: generateSigningKey(),
        executor: noopExecutor(),
      }),
    ).toThrow(expect.objectContaining({ code: 'BAD_AGENT_OPTIONS' }));
  });
});

/** An executor whose jobs finish only when the test says so (a fake of our own interface). */
function gatedExecutor() {
  const gates: (() => void)[] = [];
  let started = 0;
  const executor: JobExecutor = {
    name: 'gated',
    async run(commands) {
      started += 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      return { status: 'succeeded', results: commands.map(() => ({ ok: true, output: [] })) };
    },
    async close() {},
  };
  return { executor, release: () => gates.shift()?.(), started: () => started };
}

describe('a graceful stop', () => {
  let hub: HubFixture;
  beforeEach(async () => {
    hub = await startHub();
  });
  afterEach(() => hub.close());

  it('finishes the running job, answers queued ones as cancelled (nothing ran), then disconnects', async () => {
    const gated = gatedExecutor();
    const secret = await registerAgent(hub.store, 'ex01', new Date().toISOString());
    const agent = startAgent({
      hubUrl: hub.url,
      agentId: 'ex01',
      secret,
      botKey: hub.signingKey,
      executor: gated.executor,
    });
    await agent.log.waitFor((event) => event.type === 'connected');
    const ems = new RelayEmsRunner(hub.hub, { agentId: 'ex01' });
    const command: EmsCommand = {
      cmdlet: 'New-MailUser',
      params: { Name: 'TeamsScheduler', ExternalEmailAddress: 'ts@contoso.com' },
    };
    const first = ems.run(command);
    await agent.log.waitFor((event) => event.type === 'job-started');
    const second = ems.run(command);
    await agent.log.waitFor(() => agent.log.count((event) => event.type === 'job-accepted') === 2);

    const stopped = agent.agent.stop(10_000);
    gated.release();
    await expect(first).resolves.toEqual({ ok: true, output: [] });
    await expect(second).resolves.toMatchObject({
      ok: false,
      error: { errorId: 'RelayJobRejected,CANCELLED' },
    });
    await stopped;
    expect(gated.started()).toBe(1);
    expect(agent.log.events.at(-1)).toEqual({ type: 'disconnected', code: 1001 });
    expect(hub.hub.isConnected('ex01')).toBe(false);
  });
});

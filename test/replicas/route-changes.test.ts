/**
 * Replicas remember where an agent is connected: when the agent leaves or moves, the others learn it at
 * once, not when the old holder's lease ends (a lease of a minute here, so only the announcement can tell).
 */
import { createPublicKey } from 'node:crypto';
import path from 'node:path';
import { RelayAgent } from '../../src/relay/agent-client';
import { registerAgent } from '../../src/relay/agent-registry';
import { openAgentStore } from '../../src/relay/agent-store';
import { noopExecutor } from '../../src/relay/executors/noop';
import { generateSigningKey } from '../../src/relay/signing';
import { describeOnPostgres } from '../store/support';
import { tempDir } from '../support/lab-org';
import { type InProcessReplica, startInProcessReplica } from '../support/replica-hub';

jest.setTimeout(60_000);

const clock = { now: () => new Date() };
const job = {
  agentId: 'ex01',
  mode: 'single',
  commands: [{ cmdlet: 'Get-AuthConfig', params: {} }],
} as const;

const startInProcess = (dbUrl: string, signingKey: ReturnType<typeof generateSigningKey>) =>
  startInProcessReplica(dbUrl, signingKey, clock, { poolSize: 3, leaseMs: 60_000 });

/** Retries `attempt` every 50 ms until it resolves, for at most `withinMs`. */
async function within<T>(withinMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describeOnPostgres('replicas following an agent that leaves and moves', (target) => {
  it('refuse a job as soon as the agent has left, and route it to the replica it moved to', async () => {
    const dbUrl = await target.newDatabase();
    const signingKey = generateSigningKey();
    const { dir, cleanup } = tempDir('hybridops-route-changes-');
    const [a, b, c] = [
      await startInProcess(dbUrl, signingKey),
      await startInProcess(dbUrl, signingKey),
      await startInProcess(dbUrl, signingKey),
    ] as const;
    const secret = await registerAgent(a.store.relay, 'ex01', new Date().toISOString());
    const jobsRun: string[] = [];
    const agentOn = (hub: InProcessReplica, name: string) =>
      new RelayAgent({
        hubUrl: hub.url,
        agentId: 'ex01',
        secret,
        botPublicKey: createPublicKey(signingKey),
        executor: noopExecutor(),
        store: openAgentStore(path.join(dir, `${name}.db`)),
        onEvent: (event) => event.type === 'job-accepted' && jobsRun.push(`${name} ${event.jobId}`),
      });
    let agent = agentOn(a, 'on-a');
    try {
      agent.start();
      await a.hub.waitForAgent('ex01', 10_000);
      const first = await within(2_000, () => b.hub.dispatch(job));
      expect(first.status).toBe('succeeded');
      expect(jobsRun).toEqual([`on-a ${first.jobId}`]);

      // The agent leaves A: B, which used A's route, refuses the next job instead of sending it nowhere.
      await agent.stop(1_000);
      const refusal = await within(2_000, () =>
        b.hub.dispatch({ ...job, timeoutMs: 300 }).then(
          () => Promise.reject(new Error('ran')),
          (error: { code?: string }) =>
            error.code === 'AGENT_NOT_CONNECTED' ? error : Promise.reject(error),
        ),
      );
      expect(refusal).toMatchObject({ code: 'AGENT_NOT_CONNECTED' });

      // It comes back on C: B's next job reaches it there, once.
      agent = agentOn(c, 'on-c');
      agent.start();
      await c.hub.waitForAgent('ex01', 10_000);
      const moved = await within(2_000, () => b.hub.dispatch({ ...job, timeoutMs: 5_000 }));
      expect(moved.status).toBe('succeeded');
      expect(jobsRun).toEqual([`on-a ${first.jobId}`, `on-c ${moved.jobId}`]);
    } finally {
      await agent.stop(1_000);
      for (const replica of [a, b, c]) await replica.close();
      cleanup();
    }
  });
});

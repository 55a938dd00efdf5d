/** Two replicas of the bot on one PostgreSQL: an agent connected to one runs the jobs the other dispatches. */
import { loadLabFile } from '../../src/lab/lab-file';
import { openStore } from '../../src/store/open-store';
import { describeOnPostgres } from '../store/support';
import { repeatedMutations } from '../support/lab-org';
import { replicaSetup } from './support';

jest.setTimeout(120_000);

describeOnPostgres('relay routing between replicas', (target) => {
  it('applies a runbook requested through replica B on the agent connected to replica A, each command once', async () => {
    const dbUrl = await target.newDatabase();
    const setup = await replicaSetup(dbUrl);
    try {
      const a = await setup.replica(['hub']);
      const agent = setup.agent(a.url);
      await agent.log.waitFor((e) => e.type === 'connected', 30_000, 'agent connected to A');
      const b = await setup.replica(['apply', 'sfb-online-2019']);
      const done = await b.child.log.waitFor((e) => e.type === 'done' || e.type === 'crashed', 60_000);
      expect(done).toMatchObject({ type: 'done', state: 'succeeded' });

      // The agent only ever dialled A, and A's route is what B used.
      expect(agent.log.count((e) => e.type === 'connected')).toBe(1);
      const store = await openStore(dbUrl);
      try {
        expect(await store.cluster.agentRoute('ex01', new Date().toISOString())).toBe(a.id);
        const jobs = agent.log.events.filter((e) => e.type === 'job-accepted') as { jobId: string }[];
        expect(jobs.length).toBeGreaterThan(2);
        expect(new Set(jobs.map((job) => job.jobId)).size).toBe(jobs.length);
        for (const job of jobs) expect((await store.relay.getJob(job.jobId))?.state).toBe('resolved');
      } finally {
        await store.close();
      }
      const log = loadLabFile(setup.labFile).org.commandLog;
      expect(repeatedMutations(log)).toEqual([]);
      expect(log.filter((entry) => entry.mutating && entry.ok).length).toBeGreaterThan(0);
    } finally {
      await setup.close();
    }
  });
});

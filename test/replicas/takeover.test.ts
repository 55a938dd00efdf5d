/** A replica killed with SIGKILL mid-run: another replica on the same PostgreSQL takes the run over and finishes it. */
import { CRASH_AT } from '../../src/config/crash-hook';
import type { EmsCommand } from '../../src/core/ems';
import { renderCommand } from '../../src/exchange/render';
import { loadLabFile } from '../../src/lab/lab-file';
import { openStore } from '../../src/store/open-store';
import { describeOnPostgres } from '../store/support';
import { repeatedMutations } from '../support/lab-org';
import { replicaSetup } from './support';

jest.setTimeout(150_000);

describeOnPostgres('a replica killed mid-run', (target) => {
  it('has its run finished by the other replica: nothing ran twice, and the audit log is complete', async () => {
    const dbUrl = await target.newDatabase();
    const setup = await replicaSetup(dbUrl);
    const store = await openStore(dbUrl);
    try {
      const b = await setup.replica(['runs']);
      const agent = setup.agent(b.url);
      await agent.log.waitFor((e) => e.type === 'connected', 30_000, 'agent connected to B');
      const a = await setup.replica(['run', 'sfb-online-2019'], { [CRASH_AT]: 'command.sent:2' });
      await a.child.exited;
      expect(a.child.child.signalCode).toBe('SIGKILL');
      expect(a.child.log.count((e) => e.type === 'done')).toBe(0);

      // B notices once A's lease has ended, and resumes the run with the start-up recovery.
      await b.child.log.waitFor(
        (e) => e.type === 'post' && String(e.card).includes('Resuming a run after a restart'),
        30_000,
        'B resuming the run',
      );
      let run = (await store.runs.listRuns({ target: 'lab:replicas', limit: 5 }))[0];
      for (let waited = 0; run?.state === 'running' && waited < 60_000; waited += 250) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        run = (await store.runs.listRuns({ target: 'lab:replicas', limit: 5 }))[0];
      }
      expect(run?.state).toBe('succeeded');

      const log = loadLabFile(setup.labFile).org.commandLog;
      expect(repeatedMutations(log)).toEqual([]);
      const entries = await store.runs.listAudit(5000);
      const sent = entries.filter((entry) => entry.action === 'command.sent');
      const texts = new Set(sent.map((entry) => entry.detail));
      const changes = log.filter((entry) => entry.mutating && entry.ok);
      expect(changes.length).toBeGreaterThan(2);
      for (const change of changes)
        expect(texts.has(renderCommand({ cmdlet: change.cmdlet, params: change.params } as EmsCommand))).toBe(
          true,
        );
      const completed = new Set(entries.map((entry) => entry.completes));
      expect(sent.filter((entry) => !completed.has(entry.seq))).toEqual([]);
      // Only B resumed it, once.
      expect(b.child.log.count((e) => e.type === 'post' && String(e.card).includes('Resuming a run'))).toBe(
        1,
      );
    } finally {
      await store.close();
      await setup.close();
    }
  });
});

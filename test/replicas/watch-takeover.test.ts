/**
 * Batched watch claims and a replica killed mid-batch: the orgs it claimed and never finished are scanned, in
 * the same slot, by the replica that lost them to it, so each org's scan finishes exactly once.
 */
import { describeOnPostgres } from '../store/support';
import { type ReplicaEvent, replicaSetup } from './support';

jest.setTimeout(120_000);

describeOnPostgres('a replica killed in the middle of its watch claims', (target) => {
  it('has the orgs it claimed scanned by the other replica in the same slot, each org once', async () => {
    const dbUrl = await target.newDatabase();
    const setup = await replicaSetup(dbUrl);
    try {
      const orgs = Array.from({ length: 24 }, (_, index) => `org-${index + 1}`);
      // Every 15 s, scans of 1.5 s: the first slot after both have started is the one that matters.
      const env = { HYBRIDOPS_TEST_SCHEDULE: '*/15 * * * * *', HYBRIDOPS_TEST_SCAN_MS: '1500' };
      const at = String(Date.now() + 6_000);
      const replicas = await Promise.all([
        setup.replica(['watch', at, orgs.join(',')], env),
        setup.replica(['watch', at, orgs.join(',')], env),
      ]);
      const firstScan = (replica: (typeof replicas)[number]) =>
        replica.child.log.waitFor((e) => e.type === 'scan', 40_000, 'a scan').then(() => replica);
      // Whichever replica starts scanning first has claimed its batch: it dies before any scan finishes.
      const doomed = await Promise.race(replicas.map(firstScan));
      const survivor = replicas.find((replica) => replica !== doomed) as (typeof replicas)[number];
      doomed.child.child.kill('SIGKILL');
      await doomed.child.exited;
      const slot = (doomed.child.log.events.find((e) => e.type === 'scan') as ReplicaEvent).slot;
      const claimedByDoomed = doomed.child.log.events.filter((e) => e.type === 'scan' && e.slot === slot);
      expect(claimedByDoomed.length).toBeGreaterThan(0);
      expect(doomed.child.log.count((e) => e.type === 'scanned')).toBe(0);

      // The survivor finishes every org of that slot, its own and (after the dead one's lease) the others.
      const finished = () => survivor.child.log.events.filter((e) => e.type === 'scanned' && e.slot === slot);
      for (let waited = 0; finished().length < orgs.length && waited < 20_000; waited += 250)
        await new Promise((resolve) => setTimeout(resolve, 250));
      const scanned = finished().map((e) => String(e.orgId));
      expect(scanned.sort()).toEqual([...orgs].sort());
      for (const claim of claimedByDoomed) expect(scanned).toContain(claim.orgId);
    } finally {
      await setup.close();
    }
  });
});

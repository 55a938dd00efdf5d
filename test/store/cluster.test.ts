/** The replicas' shared state on both databases: leases, agent routes, run owners and watch slots. */
import { describeEachStore, storesOn } from './support';

const T = (seconds: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, seconds)).toISOString();

describeEachStore('replicas’ shared state', (target) => {
  const stores = storesOn(target);

  it('route an agent to a live replica only, and forget the route when its holder leaves', async () => {
    const { cluster } = await stores.open();
    await cluster.renewReplica('a', T(0), T(10));
    await cluster.setAgentRoute('ex01', 'a', T(1));
    expect(await cluster.agentRoute('ex01', T(5))).toBe('a');
    expect(await cluster.agentHolder('ex01', T(5))).toEqual({ replicaId: 'a', leaseUntil: T(10) });
    expect(await cluster.agentRoute('ex01', T(11))).toBeNull();
    expect(await cluster.agentHolder('ex01', T(11))).toBeNull();
    await cluster.renewReplica('b', T(0), T(30));
    await cluster.setAgentRoute('ex01', 'b', T(12));
    await cluster.clearAgentRoute('ex01', 'a');
    expect([...(await cluster.agentRoutes(T(12))).entries()]).toEqual([['ex01', 'b']]);
  });

  it('give a run to one replica, and to another only once the owner’s lease has ended', async () => {
    const store = await stores.open();
    const { cluster } = store;
    await store.runs.createRun(
      {
        id: 'run-1',
        runbook: 'teams',
        target: 'contoso.com',
        inputs: '{}',
        requestedBy: 'alice',
        approvedBy: 'bob',
        createdAt: T(0),
      },
      [],
    );
    await cluster.renewReplica('a', T(0), T(10));
    await cluster.renewReplica('b', T(0), T(30));
    // Fresh and nobody's yet: only its creator may claim it.
    expect(await cluster.claimRun('run-1', 'b', T(1), T(-10))).toBe(false);
    expect(await cluster.claimRun('run-1', 'a', T(1), T(20))).toBe(true);
    expect(await cluster.claimRun('run-1', 'b', T(5), T(-5))).toBe(false);
    expect(await cluster.orphanedRuns('contoso.com', T(5), T(-5))).toEqual([]);
    expect(await cluster.orphanedRuns('contoso.com', T(11), T(1))).toEqual(['run-1']);
    await cluster.renewReplica('c', T(0), T(30));
    const claims = await Promise.all([
      cluster.claimRun('run-1', 'b', T(11), T(1)),
      cluster.claimRun('run-1', 'c', T(11), T(1)),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await cluster.orphanedRuns('contoso.com', T(12), T(2))).toEqual([]);
  });

  it('claim each org’s scan slot once, and only forward', async () => {
    const { cluster } = await stores.open();
    const slot = T(0);
    const claims = await Promise.all(
      ['a', 'b', 'a', 'b'].map((r) => cluster.claimWatchSlot('org-1', slot, r)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await cluster.claimWatchSlot('org-1', T(-60), 'b')).toBe(false);
    expect(await cluster.claimWatchSlot('org-1', T(60), 'b')).toBe(true);
    expect(await cluster.claimWatchSlot('org-2', slot, 'b')).toBe(true);
  });

  it('claim many orgs’ slots in one go, and hand a dead replica’s unfinished scans to one other replica', async () => {
    const { cluster } = await stores.open();
    await cluster.renewReplica('a', T(0), T(10));
    await cluster.renewReplica('b', T(0), T(30));
    await cluster.renewReplica('c', T(0), T(30));
    const orgs = ['org-1', 'org-2', 'org-3', 'org-4'];
    expect((await cluster.claimWatchSlots(['org-1', 'org-2', 'org-1'], T(0), 'a')).sort()).toEqual([
      'org-1',
      'org-2',
    ]);
    expect((await cluster.claimWatchSlots(orgs, T(0), 'b')).sort()).toEqual(['org-3', 'org-4']);
    await cluster.finishWatchSlots(['org-2'], T(0));
    await cluster.finishWatchSlots(['org-4', 'org-3'], T(0));
    // While a lives, its unfinished org-1 waits for it; b's own claims are nobody else's business.
    expect(await cluster.takeOverWatchSlots(orgs, T(0), 'c', T(5))).toEqual({
      taken: [],
      waiting: ['org-1'],
    });
    // Once a's lease has ended, one replica takes org-1 over; then nothing waits any more.
    const takeovers = await Promise.all([
      cluster.takeOverWatchSlots(orgs, T(0), 'b', T(11)),
      cluster.takeOverWatchSlots(orgs, T(0), 'c', T(11)),
    ]);
    expect(takeovers.flatMap((result) => result.taken)).toEqual(['org-1']);
    await cluster.finishWatchSlots(['org-1'], T(0));
    expect(await cluster.takeOverWatchSlots(orgs, T(0), 'c', T(12))).toEqual({ taken: [], waiting: [] });
    // A later slot is claimed afresh.
    expect((await cluster.claimWatchSlots(orgs, T(60), 'c')).sort()).toEqual(orgs);
  });
});

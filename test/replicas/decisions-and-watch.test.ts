/** Two replicas on one PostgreSQL racing: one approval decided once, each org's scheduled scan run once per slot. */
import type { Plan } from '../../src/core/plan';
import { openStore } from '../../src/store/open-store';
import { describeOnPostgres } from '../store/support';
import { type ReplicaEvent, replicaSetup } from './support';

jest.setTimeout(120_000);

const plan: Plan = {
  runbook: 'teams',
  title: 'Exchange and Teams',
  source: 'seeds/teams.md',
  caution: null,
  notes: [],
  plannedAt: '2026-03-01T09:59:00.000Z',
  reads: { ems: [{ cmdlet: 'Get-AuthServer', params: {} }], servicePrincipals: [] },
  steps: [
    {
      id: 'auth-server',
      title: 'Register the auth server',
      seedStep: '1',
      target: 'exchange',
      change: 'create',
      operations: [
        {
          kind: 'ems',
          cmdlet: 'New-AuthServer',
          params: { Name: 'ACS', AuthMetadataUrl: 'https://accounts.accesscontrol.windows.net/x' },
        },
      ],
      command: "New-AuthServer -Name 'ACS' -MetadataUrl 'https://accounts.accesscontrol.windows.net/x'",
      detail: 'No auth server named ACS.',
      warnings: [],
    },
  ],
  hash: 'a'.repeat(64),
};

describeOnPostgres('replicas racing', (target) => {
  it('decide one approval in two processes at the same moment: exactly one wins, and its decision stays', async () => {
    const dbUrl = await target.newDatabase();
    const setup = await replicaSetup(dbUrl);
    const store = await openStore(dbUrl);
    try {
      for (let round = 0; round < 3; round++) {
        const id = `0a1b2c3d-000${round}`;
        await store.plans.savePlan({
          id: `plan-${round}`,
          runbook: 'teams',
          inputs: '{"domain":"contoso.com"}',
          hash: plan.hash,
          plan,
          conversationId: 'conv-1',
          createdBy: 'alice-oid',
          createdAt: new Date().toISOString(),
        });
        await store.approvals.createApproval({
          id,
          planId: `plan-${round}`,
          conversationId: 'conv-1',
          requester: 'alice-oid',
          requesterName: 'Alice',
          planHash: plan.hash,
          approvers: ['bob-oid', 'carol-oid'],
          createdAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          messageId: null,
        });
        const at = String(Date.now() + 4_000);
        const [first, second] = await Promise.all([
          setup.replica(['decide', id, at]),
          setup.replica(['decide', id, at]),
        ]);
        const decided = await Promise.all(
          [first, second].map((replica) => replica.child.log.waitFor((e) => e.type === 'decided', 20_000)),
        );
        expect(decided.map((e) => e.won).sort()).toEqual([false, true]);
        const winner = decided.find((e) => e.won) as ReplicaEvent;
        expect(await store.approvals.getApproval(id)).toMatchObject({
          state: 'approved',
          decidedByName: winner.replica,
        });
      }
    } finally {
      await store.close();
      await setup.close();
    }
  });

  it('scan each watched org once per scheduled slot across two replicas, sharing the orgs out', async () => {
    const dbUrl = await target.newDatabase();
    const setup = await replicaSetup(dbUrl);
    try {
      const orgs = ['org-1', 'org-2', 'org-3', 'org-4', 'org-5', 'org-6'];
      const at = String(Date.now() + 5_000);
      const replicas = await Promise.all([
        setup.replica(['watch', at, orgs.join(',')]),
        setup.replica(['watch', at, orgs.join(',')]),
      ]);
      // Both replicas' timers fire every second from `at`: wait (bounded) until four slots have passed.
      const allScans = () =>
        replicas.flatMap((replica) => replica.child.log.events.filter((e) => e.type === 'scan'));
      for (let waited = 0; waited < 30_000; waited += 250) {
        if (new Set(allScans().map((scan) => scan.slot)).size >= 5) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const scans = allScans();
      const slots = new Set(scans.map((scan) => scan.slot));
      expect(slots.size).toBeGreaterThanOrEqual(3);
      const perSlot = new Map<string, number>();
      for (const scan of scans) {
        const key = `${scan.orgId} ${scan.slot}`;
        perSlot.set(key, (perSlot.get(key) ?? 0) + 1);
      }
      expect([...perSlot.values()].filter((count) => count > 1)).toEqual([]);
      // Every org was scanned in every full slot, by one replica or the other.
      for (const slot of [...slots].sort().slice(1, -1))
        for (const org of orgs) expect(perSlot.get(`${org} ${slot}`)).toBe(1);
    } finally {
      await setup.close();
    }
  });
});

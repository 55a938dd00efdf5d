import { CodedError } from '../../src/core/errors';
import type { Plan } from '../../src/core/plan';
import type { NewApproval, SavedPlan } from '../../src/store/bot-repositories';
import { describeEachStore, storesOn } from './support';

const plan: Plan = {
  runbook: 'teams',
  title: 'Exchange and Teams',
  source: 'seeds/teams.md',
  caution: null,
  notes: ['Run from the Exchange Management Shell.'],
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
    {
      id: 'upload-key',
      title: 'Upload the certificate',
      seedStep: '3',
      target: 'graph',
      change: 'update',
      operations: [
        {
          kind: 'graph',
          method: 'PATCH',
          path: ['/servicePrincipals/x'],
          body: {
            keyCredentials: [
              { type: 'AsymmetricX509Cert', key: { $value: 'authCertificate', field: 'FileData' } },
            ],
          },
        },
      ],
      command: 'POST /servicePrincipals/x/addKey',
      detail: 'The key is missing.',
      warnings: ['The old key expires in 9 days.'],
    },
  ],
  hash: 'a'.repeat(64),
};

const saved = (id: string): SavedPlan => ({
  id,
  runbook: 'teams',
  inputs: '{"domain":"contoso.com"}',
  hash: plan.hash,
  plan,
  conversationId: 'conv-1',
  createdBy: 'alice-oid',
  createdAt: '2026-03-01T10:00:00.000Z',
});

const approval = (id: string, planId: string): NewApproval => ({
  id,
  planId,
  conversationId: 'conv-1',
  requester: 'alice-oid',
  requesterName: 'Alice',
  planHash: plan.hash,
  approvers: ['bob-oid', 'carol-oid'],
  createdAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-03-01T11:00:00.000Z',
  messageId: null,
});

const AT = '2026-03-01T10:30:00.000Z';

describeEachStore('saved plans', (target) => {
  const stores = storesOn(target);

  it('reads a saved plan back as it was saved', async () => {
    const { plans } = await stores.open();
    await plans.savePlan(saved('plan-1'));
    expect(await plans.getPlan('plan-1')).toEqual(saved('plan-1'));
    expect(await plans.getPlan('plan-2')).toBeNull();
  });

  it('keeps the message id of the first card posted for a plan, and no later one', async () => {
    const { plans } = await stores.open();
    await plans.savePlan(saved('plan-1'));
    expect(await plans.getPlanCard('plan-1')).toBeNull();
    expect(await plans.recordPlanCard('plan-1', 'message-1')).toBe(true);
    expect(await plans.recordPlanCard('plan-1', 'message-2')).toBe(false);
    expect(await plans.getPlanCard('plan-1')).toBe('message-1');
  });

  it('parses a saved plan once however often it is read (each click on its approval card reads it)', async () => {
    const { plans } = await stores.open();
    await plans.savePlan(saved('plan-1'));
    const first = await plans.getPlan('plan-1');
    const second = await plans.getPlan('plan-1');
    expect(second?.plan).toEqual(plan);
    expect(second?.plan).toBe(first?.plan);
    expect(Object.isFrozen(second?.plan.steps[0]?.operations)).toBe(true);
  });

  it('refuses a stored plan that is not a plan any more, saying which and where', async () => {
    const store = await stores.open();
    await store.plans.savePlan(saved('plan-1'));
    // Read once before it changes on disk: what was parsed before is no excuse to skip the check.
    expect((await store.plans.getPlan('plan-1'))?.plan).toEqual(plan);
    await target.execute(store.url, `UPDATE bot_plans SET plan = '{"runbook":"teams","steps":[]}'`);
    const read = store.plans.getPlan('plan-1');
    await expect(read).rejects.toBeInstanceOf(CodedError);
    await expect(read).rejects.toMatchObject({ code: 'CORRUPT_PLAN' });
    await expect(read).rejects.toThrow(/^Saved plan plan-1 cannot be read \(title: .*\); nothing was run/);

    await target.execute(store.url, `UPDATE bot_plans SET plan = '{"runbook":'`);
    await expect(store.plans.getPlan('plan-1')).rejects.toThrow(/plan-1 cannot be read \(it is not JSON\)/);
  });
});

describeEachStore('approvals', (target) => {
  const stores = storesOn(target);

  async function withPendingApproval() {
    const store = await stores.open();
    await store.plans.savePlan(saved('plan-1'));
    expect(await store.approvals.createApproval(approval('0a1b2c3d-0000', 'plan-1'))).toBe(true);
    return store;
  }

  it('keeps one approval per plan, even when two are asked for at once', async () => {
    const store = await stores.open();
    await store.plans.savePlan(saved('plan-1'));
    const created = await Promise.all(
      ['ap-1', 'ap-2', 'ap-3'].map((id) => store.approvals.createApproval(approval(id, 'plan-1'))),
    );
    expect(created.filter(Boolean)).toHaveLength(1);
    const kept = await store.approvals.getApprovalByPlan('plan-1');
    expect(kept).toMatchObject({ planId: 'plan-1', state: 'pending', approvers: ['bob-oid', 'carol-oid'] });
  });

  it('lets exactly one of two decisions made at once win, from two connections', async () => {
    const first = await withPendingApproval();
    const second = await stores.open(first.url);
    const decisions = await Promise.all([
      first.approvals.decideApproval('0a1b2c3d-0000', 'approved', 'bob-oid', 'Bob', AT),
      second.approvals.decideApproval('0a1b2c3d-0000', 'rejected', 'carol-oid', 'Carol', AT),
      ...Array.from({ length: 6 }, (_, index) =>
        (index % 2 ? first : second).approvals.decideApproval(
          '0a1b2c3d-0000',
          'approved',
          'bob-oid',
          'Bob',
          AT,
        ),
      ),
    ]);
    expect(decisions.filter(Boolean)).toHaveLength(1);
    const decided = await first.approvals.getApproval('0a1b2c3d-0000');
    expect(decided?.state).toBe(decisions[1] ? 'rejected' : 'approved');
    expect(decided).toMatchObject({ decidedAt: AT, decidedBy: decisions[1] ? 'carol-oid' : 'bob-oid' });
  });

  it('refuses a decision once the approval has expired or was decided', async () => {
    const { approvals } = await withPendingApproval();
    expect(
      await approvals.decideApproval(
        '0a1b2c3d-0000',
        'approved',
        'bob-oid',
        'Bob',
        '2026-03-01T11:00:00.000Z',
      ),
    ).toBe(false);
    expect(await approvals.decideApproval('0a1b2c3d-0000', 'rejected', 'bob-oid', 'Bob', AT)).toBe(true);
    expect(await approvals.decideApproval('0a1b2c3d-0000', 'approved', 'carol-oid', 'Carol', AT)).toBe(false);
    expect(await approvals.getApproval('0a1b2c3d-0000')).toMatchObject({
      state: 'rejected',
      decidedByName: 'Bob',
    });
  });

  it('closes an approval that has no run yet, keeping when it was decided', async () => {
    const { approvals } = await withPendingApproval();
    expect(await approvals.decideApproval('0a1b2c3d-0000', 'approved', 'bob-oid', 'Bob', AT)).toBe(true);
    expect(
      await approvals.closeApproval(
        '0a1b2c3d-0000',
        'superseded',
        'plan changed',
        '2026-03-01T10:40:00.000Z',
      ),
    ).toBe(true);
    expect(await approvals.getApproval('0a1b2c3d-0000')).toMatchObject({
      state: 'superseded',
      reason: 'plan changed',
      decidedAt: AT,
    });
    expect(await approvals.closeApproval('0a1b2c3d-0000', 'cancelled', 'again', AT)).toBe(false);
  });

  it('does not close an approval once its run started, and finds the approval by its run', async () => {
    const { approvals } = await withPendingApproval();
    await approvals.decideApproval('0a1b2c3d-0000', 'approved', 'bob-oid', 'Bob', AT);
    await approvals.setApprovalRun('0a1b2c3d-0000', 'run-1');
    await approvals.setApprovalMessage('0a1b2c3d-0000', 'message-1');
    expect(await approvals.closeApproval('0a1b2c3d-0000', 'cancelled', 'too late', AT)).toBe(false);
    expect(await approvals.findApprovalByRun('run-1')).toMatchObject({
      id: '0a1b2c3d-0000',
      state: 'approved',
      messageId: 'message-1',
    });
    expect(await approvals.findApprovalByRun('run-2')).toBeNull();
  });

  it('finds a pending approval by a unique prefix of at least four hex characters', async () => {
    const store = await withPendingApproval();
    await store.plans.savePlan(saved('plan-2'));
    await store.approvals.createApproval(approval('0a1b9999-0000', 'plan-2'));
    expect((await store.approvals.findPendingApproval('0A1B2'))?.id).toBe('0a1b2c3d-0000');
    expect(await store.approvals.findPendingApproval('0a1b')).toBeNull();
    expect(await store.approvals.findPendingApproval('0a1')).toBeNull();
    expect(await store.approvals.findPendingApproval("0a1b2' OR 1=1")).toBeNull();
    await store.approvals.decideApproval('0a1b2c3d-0000', 'approved', 'bob-oid', 'Bob', AT);
    expect(await store.approvals.findPendingApproval('0a1b2')).toBeNull();
  });
});

describeEachStore('conversation references', (target) => {
  const stores = storesOn(target);
  const reference = { conversation: { id: 'conv-1' }, serviceUrl: 'https://smba.example/' };

  it('keeps a reference, rewrites it only when it changed, and brings back a removed one', async () => {
    const { conversations } = await stores.open();
    await conversations.saveReference('channel', reference, '2026-03-01T10:00:00.000Z');
    await conversations.saveReference('channel', reference, '2026-03-01T10:05:00.000Z');
    expect(await conversations.getReference('channel')).toEqual({
      reference,
      updatedAt: '2026-03-01T10:00:00.000Z',
      removedAt: null,
    });

    const moved = { ...reference, serviceUrl: 'https://smba.example/emea/' };
    await conversations.saveReference('channel', moved, '2026-03-01T10:10:00.000Z');
    expect(await conversations.getReference('channel')).toMatchObject({
      reference: moved,
      updatedAt: '2026-03-01T10:10:00.000Z',
    });

    await conversations.markReferenceRemoved('channel', '2026-03-01T10:20:00.000Z');
    expect(await conversations.getReference('channel')).toMatchObject({
      removedAt: '2026-03-01T10:20:00.000Z',
    });
    await conversations.saveReference('channel', moved, '2026-03-01T10:30:00.000Z');
    expect(await conversations.getReference('channel')).toEqual({
      reference: moved,
      updatedAt: '2026-03-01T10:30:00.000Z',
      removedAt: null,
    });
    expect(await conversations.getReference('other')).toBeNull();
  });

  it("refreshes a reference from the database once a minute, so another process's removal is undone by then", async () => {
    const one = await stores.open();
    const other = await stores.open(one.url);
    await one.conversations.refreshReference('channel', reference, '2026-03-01T10:00:00.000Z');
    expect(await other.conversations.getReference('channel')).toMatchObject({ reference, removedAt: null });

    // The other process marks it removed; this one's refreshes within the minute take it as stored.
    await other.conversations.markReferenceRemoved('channel', '2026-03-01T10:00:10.000Z');
    await one.conversations.refreshReference('channel', reference, '2026-03-01T10:00:59.000Z');
    expect((await other.conversations.getReference('channel'))?.removedAt).toBe('2026-03-01T10:00:10.000Z');
    await one.conversations.refreshReference('channel', reference, '2026-03-01T10:01:00.000Z');
    expect((await other.conversations.getReference('channel'))?.removedAt).toBeNull();

    // A changed reference, a save (an installation) and this process's own removal each reach the database at once.
    const moved = { ...reference, serviceUrl: 'https://smba.example/emea/' };
    await one.conversations.refreshReference('channel', moved, '2026-03-01T10:01:01.000Z');
    expect((await other.conversations.getReference('channel'))?.reference).toEqual(moved);
    await other.conversations.markReferenceRemoved('channel', '2026-03-01T10:01:02.000Z');
    await one.conversations.saveReference('channel', moved, '2026-03-01T10:01:03.000Z');
    expect((await other.conversations.getReference('channel'))?.removedAt).toBeNull();
    await one.conversations.markReferenceRemoved('channel', '2026-03-01T10:01:04.000Z');
    await one.conversations.refreshReference('channel', moved, '2026-03-01T10:01:05.000Z');
    expect((await other.conversations.getReference('channel'))?.removedAt).toBeNull();
  });
});

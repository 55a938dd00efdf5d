import type { AgentSecret, NewJob } from '../../src/store/relay-repository';
import { describeEachStore, storesOn } from './support';

const EXPIRES = Date.parse('2026-03-01T10:15:00.000Z');

const job = (jobId: string, createdAt: string, agentId = 'ex01'): NewJob => ({
  jobId,
  agentId,
  payload: `{"jobId":"${jobId}"}`,
  signature: 'c2lnbmF0dXJl',
  expiresAt: EXPIRES,
  runId: 'run-1',
  stepId: 'auth-server',
  mode: 'single',
  createdAt,
});

function secretOf(issued: AgentSecret): string {
  if (!('secret' in issued)) throw new Error(`no secret was issued: ${issued.outcome}`);
  return issued.secret;
}

describeEachStore('the relay hub tables', (target) => {
  const stores = storesOn(target);

  it('registers an agent once and lets in only its current, unrevoked secret', async () => {
    const { relay } = await stores.open();
    const first = secretOf(await relay.addAgent('ex01', '2026-03-01T09:00:00.000Z'));
    expect(await relay.addAgent('ex01', '2026-03-01T09:01:00.000Z')).toEqual({ outcome: 'exists' });
    expect(await relay.authenticate('ex01', first)).toBe('ok');
    expect(await relay.authenticate('ex01', 'guess')).toBe('bad-credential');
    expect(await relay.authenticate('ex02', first)).toBe('unknown');

    expect(await relay.revokeAgent('ex01', '2026-03-01T09:10:00.000Z')).toBe(true);
    expect(await relay.revokeAgent('ex01', '2026-03-01T09:20:00.000Z')).toBe(true);
    expect(await relay.authenticate('ex01', first)).toBe('revoked');
    expect(await relay.getAgent('ex01')).toMatchObject({ revokedAt: '2026-03-01T09:10:00.000Z' });
    expect(await relay.revokeAgent('ex02', '2026-03-01T09:10:00.000Z')).toBe(false);

    const second = secretOf(await relay.rotateAgent('ex01', '2026-03-01T09:30:00.000Z'));
    expect(await relay.authenticate('ex01', first)).toBe('bad-credential');
    expect(await relay.authenticate('ex01', second)).toBe('ok');
    expect(await relay.rotateAgent('ex02', '2026-03-01T09:30:00.000Z')).toEqual({ outcome: 'unknown-agent' });
  });

  it('lists agents by id with when they were last seen and their version', async () => {
    const { relay } = await stores.open();
    await relay.addAgent('ex02', '2026-03-01T09:00:00.000Z');
    await relay.addAgent('ex01', '2026-03-01T09:00:00.000Z');
    await relay.touchAgent('ex01', '2026-03-01T09:05:00.000Z', '1.4.0');
    await relay.touchAgent('ex01', '2026-03-01T09:06:00.000Z');
    expect(await relay.listAgents()).toEqual([
      {
        id: 'ex01',
        createdAt: '2026-03-01T09:00:00.000Z',
        rotatedAt: null,
        revokedAt: null,
        lastSeenAt: '2026-03-01T09:06:00.000Z',
        version: '1.4.0',
      },
      expect.objectContaining({ id: 'ex02', lastSeenAt: null, version: null }),
    ]);
    expect(await relay.getAgent('ex03')).toBeNull();
  });

  it('hands an agent its open, unexpired jobs oldest first, and counts them', async () => {
    const { relay } = await stores.open();
    await relay.insertJob(job('job-2', '2026-03-01T10:02:00.000Z'));
    await relay.insertJob(job('job-1', '2026-03-01T10:01:00.000Z'));
    await relay.insertJob(job('job-3', '2026-03-01T10:03:00.000Z', 'ex02'));
    await relay.insertJob({ ...job('job-old', '2026-03-01T09:00:00.000Z'), expiresAt: EXPIRES - 3_600_000 });

    const open = await relay.openJobs('ex01', EXPIRES - 60_000);
    expect(open.map((found) => found.jobId)).toEqual(['job-1', 'job-2']);
    expect(open[0]).toEqual({
      jobId: 'job-1',
      agentId: 'ex01',
      payload: '{"jobId":"job-1"}',
      signature: 'c2lnbmF0dXJl',
      state: 'dispatched',
      expiresAt: EXPIRES,
      status: null,
      outcome: null,
    });
    expect(await relay.openJobs('ex01', EXPIRES)).toEqual([]);
    expect(await relay.openJobCount('ex01')).toBe(3);
  });

  it('records a job result once, from its own agent, even after the hub gave up on it', async () => {
    const { relay } = await stores.open();
    await relay.insertJob(job('job-1', '2026-03-01T10:01:00.000Z'));
    await relay.markJobUnknown('job-1', '2026-03-01T10:20:00.000Z');
    expect(await relay.getJob('job-1')).toMatchObject({ state: 'unknown', status: null });

    expect(await relay.recordResult('job-1', 'ex02', 'succeeded', '{}', '2026-03-01T10:21:00.000Z')).toBe(
      'wrong-agent',
    );
    expect(
      await relay.recordResult('job-1', 'ex01', 'succeeded', '{"ok":true}', '2026-03-01T10:21:00.000Z'),
    ).toBe('recorded');
    expect(await relay.recordResult('job-1', 'ex01', 'failed', '{}', '2026-03-01T10:22:00.000Z')).toBe(
      'duplicate',
    );
    expect(await relay.recordResult('job-9', 'ex01', 'failed', '{}', '2026-03-01T10:22:00.000Z')).toBe(
      'unknown-job',
    );
    await relay.markJobUnknown('job-1', '2026-03-01T10:23:00.000Z');
    expect(await relay.getJob('job-1')).toMatchObject({
      state: 'resolved',
      status: 'succeeded',
      outcome: '{"ok":true}',
    });
    expect(await relay.openJobCount('ex01')).toBe(0);
  });

  it('records one of two results that arrive at once, from two connections', async () => {
    const first = await stores.open();
    const second = await stores.open(first.url);
    await first.relay.insertJob(job('job-1', '2026-03-01T10:01:00.000Z'));
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        (index % 2 ? first : second).relay.recordResult('job-1', 'ex01', 'succeeded', `{"n":${index}}`, 'x'),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'recorded')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(5);
  });

  it('tells other replicas about a job and its first result with the writes themselves, never a duplicate', async () => {
    const store = await stores.open();
    const heard: string[] = [];
    const listener = await store.listen?.(['hybridops_test_notices'], (_channel, payload) =>
      heard.push(payload),
    );
    const notice = (payload: string) => ({ channel: 'hybridops_test_notices', payload });
    try {
      await store.relay.insertJob(job('job-1', '2026-03-01T10:01:00.000Z'), notice('job-1 stored'));
      const at = '2026-03-01T10:02:00.000Z';
      expect(await store.relay.recordResult('job-1', 'ex02', 'failed', '{}', at, notice('wrong'))).toBe(
        'wrong-agent',
      );
      expect(await store.relay.recordResult('job-1', 'ex01', 'succeeded', '{}', at, notice('first'))).toBe(
        'recorded',
      );
      expect(await store.relay.recordResult('job-1', 'ex01', 'failed', '{}', at, notice('again'))).toBe(
        'duplicate',
      );
      expect(await store.relay.getJob('job-1')).toMatchObject({ state: 'resolved', status: 'succeeded' });
      // A marker sent after the writes: once it is heard, everything the writes sent has been too.
      await store.cluster.notify('hybridops_test_notices', 'marker');
      for (let waited = 0; listener && !heard.includes('marker') && waited < 5_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
      // PostgreSQL: exactly the stored job and the recorded result. SQLite: one process, nobody to tell.
      expect(heard).toEqual(listener ? ['job-1 stored', 'first', 'marker'] : []);
    } finally {
      await listener?.close();
    }
  });

  it('prunes answered and given-up jobs older than the retention, keeping open ones', async () => {
    const { relay } = await stores.open();
    for (const id of ['old-answered', 'old-given-up', 'old-open', 'recent-answered']) {
      await relay.insertJob(job(id, '2026-01-01T00:00:00.000Z'));
    }
    await relay.recordResult('old-answered', 'ex01', 'succeeded', '{}', '2026-01-01T00:00:01.000Z');
    await relay.markJobUnknown('old-given-up', '2026-01-01T00:05:00.000Z');
    await relay.recordResult('recent-answered', 'ex01', 'succeeded', '{}', '2026-02-20T00:00:00.000Z');

    expect(await relay.pruneJobs('2026-02-01T00:00:00.000Z')).toBe(2);
    expect(await relay.getJob('old-answered')).toBeNull();
    expect(await relay.getJob('old-given-up')).toBeNull();
    expect(await relay.getJob('old-open')).not.toBeNull();
    expect(await relay.getJob('recent-answered')).not.toBeNull();
    expect(
      await relay.recordResult('old-answered', 'ex01', 'succeeded', '{}', '2026-02-21T00:00:00.000Z'),
    ).toBe('unknown-job');
  });

  it('registers an agent in a transaction that a failure undoes', async () => {
    const store = await stores.open();
    const failed = store.transaction(async (tx) => {
      secretOf(await tx.relay.addAgent('ex01', '2026-03-01T09:00:00.000Z'));
      throw new Error('the key file could not be written');
    });
    await expect(failed).rejects.toThrow('the key file could not be written');
    expect(await store.relay.getAgent('ex01')).toBeNull();

    const secret = await store.transaction(async (tx) => secretOf(await tx.relay.addAgent('ex01', 'now')));
    expect(await store.relay.authenticate('ex01', secret)).toBe('ok');
  });
});

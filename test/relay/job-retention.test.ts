import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { attachRelayHub } from '../../src/relay/hub';
import { openStore } from '../../src/store/open-store';
import type { RelayRepository } from '../../src/store/relay-repository';

const DAY = 86_400_000;

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function storeWithJobs(): Promise<RelayRepository> {
  const root = await openStore(':memory:');
  opened.push(root);
  const store = root.relay;
  const job = (jobId: string, createdAt: string) =>
    store.insertJob({
      jobId,
      agentId: 'ex01',
      payload: '{}',
      signature: 'sig',
      expiresAt: Date.parse(createdAt) + 60_000,
      runId: null,
      stepId: null,
      mode: 'run',
      createdAt,
    });
  await job('old-answered', '2026-09-01T00:00:00Z');
  await store.recordResult('old-answered', 'ex01', 'succeeded', '{}', '2026-09-01T00:00:01Z');
  await job('old-given-up', '2026-09-01T00:00:00Z');
  await store.markJobUnknown('old-given-up', '2026-09-01T00:05:00Z');
  await job('old-still-open', '2026-09-01T00:00:00Z');
  await job('recent-answered', '2026-11-20T00:00:00Z');
  await store.recordResult('recent-answered', 'ex01', 'succeeded', '{}', '2026-11-20T00:00:01Z');
  return store;
}

describe('the hub job table', () => {
  it('deletes answered and given-up jobs past the retention when the hub starts, and keeps the rest', async () => {
    const store = await storeWithJobs();
    const server = http.createServer();
    const now = new Date('2026-11-21T12:00:00Z');
    const hub = await attachRelayHub(server, {
      store,
      signingKey: generateKeyPairSync('ed25519').privateKey,
      clock: { now: () => now },
      jobRetentionDays: 30,
    });
    try {
      expect(await store.getJob('old-answered')).toBeNull();
      expect(await store.getJob('old-given-up')).toBeNull();
      expect(await store.getJob('old-still-open')).not.toBeNull();
      expect(await store.getJob('recent-answered')).not.toBeNull();
      // A result an agent re-sends for a deleted job is known to be unknown, so the hub acknowledges it.
      expect(await store.recordResult('old-answered', 'ex01', 'succeeded', '{}', now.toISOString())).toBe(
        'unknown-job',
      );
    } finally {
      await hub.close();
      server.close();
    }
  });

  it('keeps everything younger than the retention', async () => {
    const store = await storeWithJobs();
    expect(await store.pruneJobs(new Date(Date.parse('2026-09-01T00:00:00Z') - DAY).toISOString())).toBe(0);
    expect(await store.getJob('old-answered')).not.toBeNull();
  });
});

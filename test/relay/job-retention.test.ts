import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { attachRelayHub } from '../../src/relay/hub';
import { createRelayStore } from '../../src/relay/hub-store';
import { openDatabase } from '../../src/store/database';

const DAY = 86_400_000;

function storeWithJobs() {
  const store = createRelayStore(openDatabase(':memory:'));
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
  job('old-answered', '2026-09-01T00:00:00Z');
  store.recordResult('old-answered', 'ex01', 'succeeded', '{}', '2026-09-01T00:00:01Z');
  job('old-given-up', '2026-09-01T00:00:00Z');
  store.markJobUnknown('old-given-up', '2026-09-01T00:05:00Z');
  job('old-still-open', '2026-09-01T00:00:00Z');
  job('recent-answered', '2026-11-20T00:00:00Z');
  store.recordResult('recent-answered', 'ex01', 'succeeded', '{}', '2026-11-20T00:00:01Z');
  return store;
}

describe('the hub job table', () => {
  it('deletes answered and given-up jobs past the retention when the hub starts, and keeps the rest', async () => {
    const store = storeWithJobs();
    const server = http.createServer();
    const now = new Date('2026-11-21T12:00:00Z');
    const hub = attachRelayHub(server, {
      store,
      signingKey: generateKeyPairSync('ed25519').privateKey,
      clock: { now: () => now },
      jobRetentionDays: 30,
    });
    try {
      expect(store.getJob('old-answered')).toBeNull();
      expect(store.getJob('old-given-up')).toBeNull();
      expect(store.getJob('old-still-open')).not.toBeNull();
      expect(store.getJob('recent-answered')).not.toBeNull();
      // A result an agent re-sends for a deleted job is known to be unknown, so the hub acknowledges it.
      expect(store.recordResult('old-answered', 'ex01', 'succeeded', '{}', now.toISOString())).toBe(
        'unknown-job',
      );
    } finally {
      await hub.close();
      server.close();
    }
  });

  it('keeps everything younger than the retention', () => {
    const store = storeWithJobs();
    expect(store.pruneJobs(new Date(Date.parse('2026-09-01T00:00:00Z') - DAY).toISOString())).toBe(0);
    expect(store.getJob('old-answered')).not.toBeNull();
  });
});

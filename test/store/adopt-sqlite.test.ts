/**
 * A lab database written by the synchronous stores (before migrations existed) opens with the new store:
 * its first migrations adopt the tables, every row reads back, and the old stores can still open it. The old
 * stores are gone; their schema and statements are frozen in fixtures/synchronous-stores.*.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AlertCard, WatchedOrg } from '../../src/alerts/types';
import type { Plan } from '../../src/core/plan';
import { openDatabase } from '../../src/store/database';
import { openStore } from '../../src/store/open-store';
import { openAsSynchronousStores, secretHash, synchronousWrites } from './fixtures/synchronous-stores';

const org: WatchedOrg = {
  id: 'contoso',
  name: 'contoso.com',
  runbook: 'teams',
  inputs: { domain: 'contoso.com', dc: 'dc01.contoso.com', applicationAccount: true, acknowledged: false },
  channelId: 'channel-1',
};
const card: AlertCard = {
  alertId: 'alert-1',
  orgId: 'contoso',
  orgName: 'contoso.com',
  state: 'open',
  severity: 'critical',
  title: 'The auth certificate expires in 7 days',
  createdAt: '2026-03-01T06:00:00.000Z',
  drift: [],
  expiries: [],
  note: null,
  actions: { acknowledge: null, snooze: null, planFix: null },
};
const plan: Plan = {
  runbook: 'teams',
  title: 'Exchange and Teams',
  source: 'seeds/teams.md',
  caution: null,
  notes: [],
  plannedAt: '2026-03-01T09:59:00.000Z',
  reads: { ems: [], servicePrincipals: [] },
  steps: [],
  hash: 'b'.repeat(64),
};
const AT = '2026-03-01T10:00:00.000Z';

/** Writes one of everything as the synchronous stores did; returns the agent's secret. */
function writeOldDatabase(file: string): string {
  const db = openAsSynchronousStores(file);
  const write = synchronousWrites(db);
  db.transaction(() => {
    write.insertRun.run({
      id: 'run-1',
      runbook: 'teams',
      target: 'lab',
      inputs: '{}',
      requestedBy: 'alice',
      approvedBy: 'bob',
      createdAt: AT,
    });
    write.insertStep.run({
      runId: 'run-1',
      stepId: 'auth-server',
      position: 0,
      title: 'Auth server',
      state: 'pending',
      change: 'create',
      error: null,
    });
  })();
  write.startCommand.run('run-1', 'auth-server', "New-AuthServer -Name 'ACS'", AT);
  const audit = { at: AT, actor: 'alice', runbook: 'teams', target: 'lab', outcome: null, durationMs: null };
  write.appendAudit.run({ ...audit, action: 'run.started', runId: 'run-1', detail: 'approved by bob' });
  const saved = {
    runbook: 'teams',
    inputs: '{}',
    hash: plan.hash,
    conversationId: 'c',
    createdBy: 'alice',
    createdAt: AT,
  };
  write.insertPlan.run({ ...saved, id: 'plan-1', plan: JSON.stringify(plan) });
  const asked = {
    conversationId: 'c',
    requester: 'alice',
    requesterName: 'Alice',
    planHash: plan.hash,
    approvers: JSON.stringify(['bob']),
  };
  write.insertApproval.run({
    ...asked,
    id: 'ap-1',
    planId: 'plan-1',
    createdAt: AT,
    expiresAt: '2026-03-01T11:00:00.000Z',
    messageId: null,
  });
  const reference = { conversation: { id: 'c', name: 'ops', isGroup: true, conversationType: 'channel' } };
  write.saveReference.run('channel-1', JSON.stringify(reference), AT);
  write.upsertOrg.run({
    id: org.id,
    org: JSON.stringify(org),
    enabled: 1,
    thresholds: JSON.stringify([30, 7]),
    schedule: '0 6 * * *',
  });
  write.putMark.run('contoso', 'auth-cert', 7, AT);
  write.insertAlert.run({
    id: 'alert-1',
    orgId: 'contoso',
    createdAt: card.createdAt,
    state: 'open',
    subjects: JSON.stringify(['item:auth-cert']),
    card: JSON.stringify(card),
  });
  const secret = randomBytes(32).toString('base64url');
  write.insertAgent.run('ex01', secretHash(secret), AT);
  write.insertJob.run({
    jobId: 'job-1',
    agentId: 'ex01',
    payload: '{}',
    signature: 's',
    expiresAt: 1,
    runId: null,
    stepId: null,
    mode: 'single',
    createdAt: AT,
  });
  db.close();
  return secret;
}

describe('a SQLite database made before migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-adopt-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens with the new store, which reads back every row and keeps the audit log append-only', async () => {
    const file = path.join(dir, 'lab.db');
    const secret = writeOldDatabase(file);
    const store = await openStore<{
      watchedOrg: WatchedOrg;
      alertCard: AlertCard;
      conversationReference: object;
    }>(file);
    try {
      expect(await store.runs.listRuns()).toMatchObject([
        { id: 'run-1', state: 'running', requestedBy: 'alice' },
      ]);
      expect(await store.runs.listCommands('run-1')).toMatchObject([{ text: "New-AuthServer -Name 'ACS'" }]);
      expect((await store.plans.getPlan('plan-1'))?.plan).toEqual(plan);
      expect(await store.approvals.decideApproval('ap-1', 'approved', 'bob', 'Bob', AT)).toBe(true);
      expect(await store.conversations.getReference('channel-1')).toMatchObject({
        reference: { conversation: { id: 'c' } },
      });
      expect((await store.watch.settings('contoso'))?.org).toEqual(org);
      expect(await store.watch.marks('contoso')).toEqual(new Set(['auth-cert|7']));
      expect((await store.watch.activeAlerts('contoso')).map((alert) => alert.card)).toEqual([card]);
      expect(await store.relay.authenticate('ex01', secret)).toBe('ok');
      expect(await store.relay.getJob('job-1')).toMatchObject({ state: 'dispatched', expiresAt: 1 });
      const finished = { at: AT, actor: 'engine', action: 'run.finished', runId: 'run-1', detail: 'done' };
      await store.runs.appendAudit({
        ...finished,
        runbook: null,
        target: null,
        outcome: 'succeeded',
        durationMs: 9,
      });
      expect((await store.runs.listAudit()).map((entry) => entry.action)).toEqual([
        'run.started',
        'run.finished',
      ]);
    } finally {
      await store.close();
    }
    const raw = openDatabase(file);
    try {
      expect(() => raw.exec('DELETE FROM audit_log')).toThrow('the audit log is append-only');
    } finally {
      raw.close();
    }
  });

  it('still opens with the synchronous stores once the new store has migrated it', async () => {
    const file = path.join(dir, 'lab.db');
    writeOldDatabase(file);
    await (await openStore(file)).close();
    // What the synchronous stores did on open (their CREATE … IF NOT EXISTS), then the reads they made.
    const db = openAsSynchronousStores(file);
    try {
      expect(db.prepare('SELECT * FROM runs WHERE id = ?').get('run-1')).toMatchObject({ id: 'run-1' });
      expect(db.prepare('SELECT * FROM bot_approvals WHERE id = ?').get('ap-1')).toMatchObject({
        state: 'pending',
      });
      const watched = db.prepare('SELECT * FROM watch_orgs WHERE org_id = ?').get('contoso') as {
        org: string;
      };
      expect(JSON.parse(watched.org)).toEqual(org);
      expect(db.prepare('SELECT * FROM relay_agents WHERE id = ?').get('ex01')).not.toBeUndefined();
    } finally {
      db.close();
    }
  });
});

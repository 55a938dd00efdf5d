/**
 * A lab database written by the synchronous stores (before migrations existed) opens with the new store:
 * its first migrations adopt the tables, every row reads back, and the old stores can still open it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAlertStore } from '../../src/alerts/alert-store';
import type { AlertCard, WatchedOrg } from '../../src/alerts/types';
import { createBotStore } from '../../src/bot/bot-store';
import type { Plan } from '../../src/core/plan';
import { createRelayStore } from '../../src/relay/hub-store';
import { openDatabase } from '../../src/store/database';
import { openStore } from '../../src/store/open-store';
import { createRunStore } from '../../src/store/sqlite-store';

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
  steps: [],
  hash: 'b'.repeat(64),
};
const AT = '2026-03-01T10:00:00.000Z';

/** Writes one of everything with today's synchronous stores; returns the agent's secret. */
function writeOldDatabase(file: string): string {
  const db = openDatabase(file);
  const runs = createRunStore(db);
  runs.createRun(
    {
      id: 'run-1',
      runbook: 'teams',
      target: 'lab',
      inputs: '{}',
      requestedBy: 'alice',
      approvedBy: 'bob',
      createdAt: AT,
    },
    [
      {
        stepId: 'auth-server',
        position: 0,
        title: 'Auth server',
        state: 'pending',
        change: 'create',
        error: null,
      },
    ],
  );
  runs.startCommand('run-1', 'auth-server', "New-AuthServer -Name 'ACS'", AT);
  const audit = { at: AT, actor: 'alice', runbook: 'teams', target: 'lab', outcome: null, durationMs: null };
  runs.appendAudit({ ...audit, action: 'run.started', runId: 'run-1', detail: 'approved by bob' });
  const bot = createBotStore(db);
  const saved = {
    runbook: 'teams',
    inputs: '{}',
    hash: plan.hash,
    conversationId: 'c',
    createdBy: 'alice',
    createdAt: AT,
  };
  bot.savePlan({ ...saved, id: 'plan-1', plan: JSON.stringify(plan) });
  const asked = {
    conversationId: 'c',
    requester: 'alice',
    requesterName: 'Alice',
    planHash: plan.hash,
    approvers: ['bob'],
  };
  bot.createApproval({
    ...asked,
    id: 'ap-1',
    planId: 'plan-1',
    createdAt: AT,
    expiresAt: '2026-03-01T11:00:00.000Z',
    messageId: null,
  });
  bot.saveReference(
    'channel-1',
    { conversation: { id: 'c', name: 'ops', isGroup: true, conversationType: 'channel' } },
    AT,
  );
  const alerts = createAlertStore(db);
  alerts.saveSettings({ org, enabled: true, thresholds: [30, 7], schedule: '0 6 * * *' });
  const alert = { id: 'alert-1', orgId: 'contoso', createdAt: card.createdAt, state: 'open' as const };
  alerts.commitScan('contoso', AT, new Map(), [{ itemId: 'auth-cert', threshold: 7 }], {
    ...alert,
    subjects: ['item:auth-cert'],
    card,
    messageId: null,
    snoozedUntil: null,
  });
  const relay = createRelayStore(db);
  const secret = relay.addAgent('ex01', AT);
  relay.insertJob({
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
    const db = openDatabase(file);
    try {
      expect(createRunStore(db).getRun('run-1')).toMatchObject({ id: 'run-1' });
      expect(createBotStore(db).getApproval('ap-1')).toMatchObject({ state: 'pending' });
      expect(createAlertStore(db).settings('contoso')?.org).toEqual(org);
      expect(createRelayStore(db).getAgent('ex01')).not.toBeNull();
    } finally {
      db.close();
    }
  });
});

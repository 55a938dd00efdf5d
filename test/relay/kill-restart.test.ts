/** Real processes killed mid-job: a result is delivered once, and a mutating cmdlet never runs twice. */
import net from 'node:net';
import path from 'node:path';
import { CRASH_AT } from '../../src/config/crash-hook';
import type { EmsCommand } from '../../src/core/ems';
import { renderCommand } from '../../src/exchange/render';
import { loadLabFile } from '../../src/lab/lab-file';
import type { AgentEvent } from '../../src/relay/agent-client';
import { registerAgent } from '../../src/relay/agent-registry';
import { RelayEmsRunner } from '../../src/relay/ems-runner';
import { writeAgentKeyFile } from '../../src/relay/key-file';
import { loadOrCreateSigningKey, publicKeyPem } from '../../src/relay/signing';
import { openStore } from '../../src/store/open-store';
import { fixedClock, repeatedMutations, tempDir, writeLabOrg } from '../support/lab-org';
import { jobPayload, sendSigned, startRawHub } from './raw-hub';
import { type ChildFixture, kill, spawnTs, startHub } from './support';

jest.setTimeout(90_000);

const NEW_MAIL_USER = {
  cmdlet: 'New-MailUser',
  params: { Name: 'TeamsScheduler', ExternalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com' },
} as const;

interface Setup {
  readonly dir: string;
  readonly labFile: string;
  readonly keyFile: string;
  readonly cleanup: () => void;
}

async function setup(latencyMs: number): Promise<Setup> {
  const { dir, cleanup } = tempDir('hybridops-relay-');
  const labFile = await writeLabOrg(dir, fixedClock(), { latencyMs });
  return { dir, labFile, keyFile: path.join(dir, 'ex01.key.json'), cleanup };
}

function spawnAgent(s: Setup, hubUrl: string): ChildFixture<AgentEvent> {
  return spawnTs<AgentEvent>('src/relay/agent.ts', [
    '--hub',
    hubUrl,
    '--id',
    'ex01',
    '--key-file',
    s.keyFile,
    '--executor',
    'lab',
    '--lab',
    s.labFile,
    '--events',
    '--backoff-ms',
    '50',
  ]);
}

const mailUsersCreated = (labFile: string) =>
  loadLabFile(labFile).org.commandLog.filter((entry) => entry.cmdlet === 'New-MailUser').length;

describe('an agent killed mid-job', () => {
  let s: Setup;
  const children: ChildFixture<unknown>[] = [];
  beforeEach(async () => {
    s = await setup(1_500);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await kill(child);
    s.cleanup();
  });

  it('reports the interrupted mutating job once after restart, as an unknown outcome, without running it again', async () => {
    const hub = await startHub({ dbFile: path.join(s.dir, 'hub.db') });
    try {
      const secret = await registerAgent(hub.store, 'ex01', new Date().toISOString());
      writeAgentKeyFile(s.keyFile, { agentId: 'ex01', secret, botPublicKey: publicKeyPem(hub.signingKey) });
      const first = spawnAgent(s, hub.url);
      children.push(first);
      await first.log.waitFor((e) => e.type === 'connected', 30_000, 'first agent connected');
      const ems = new RelayEmsRunner(hub.hub, { agentId: 'ex01' });
      const outcome = ems.run(NEW_MAIL_USER).then(
        () => 'resolved',
        (error: { code?: string }) => error.code,
      );
      const started = (await first.log.waitFor((e) => e.type === 'job-started', 10_000)) as { jobId: string };
      await kill(first);

      const second = spawnAgent(s, hub.url);
      children.push(second);
      expect(await outcome).toBe('OUTCOME_UNKNOWN');
      await second.log.waitFor((e) => e.type === 'result-acked' && e.jobId === started.jobId, 10_000);
      expect(second.log.count((e) => e.type === 'result-sent' && e.jobId === started.jobId)).toBe(1);
      expect((await hub.store.getJob(started.jobId))?.status).toBe('interrupted');
      expect(mailUsersCreated(s.labFile)).toBe(0);
    } finally {
      await hub.close();
    }
  });

  it('re-sends a result it journaled but the hub never acknowledged, and does not run the job again', async () => {
    const raw = await startRawHub({ ackResults: false });
    try {
      const botKey = loadOrCreateSigningKey(path.join(s.dir, 'bot.pem'));
      writeAgentKeyFile(s.keyFile, {
        agentId: 'ex01',
        secret: 'A'.repeat(43),
        botPublicKey: publicKeyPem(botKey),
      });
      const first = spawnAgent(s, raw.url);
      children.push(first);
      await first.log.waitFor((e) => e.type === 'connected', 30_000, 'first agent connected');
      const job = jobPayload('ex01', [NEW_MAIL_USER]);
      sendSigned(raw, botKey, job);
      const sent = await raw.received.waitFor((m) => m.type === 'result' && m.jobId === job.jobId, 15_000);
      await kill(first);

      raw.setAckResults(true);
      const second = spawnAgent(s, raw.url);
      children.push(second);
      await second.log.waitFor((e) => e.type === 'result-acked' && e.jobId === job.jobId, 30_000);
      const copies = raw.received.events.filter((m) => m.type === 'result' && m.jobId === job.jobId);
      expect(copies).toEqual([sent, sent]);
      await kill(second);

      const third = spawnAgent(s, raw.url);
      children.push(third);
      await third.log.waitFor((e) => e.type === 'connected', 30_000);
      // The outbox is flushed before the agent reports itself connected, so an empty one shows here.
      expect(third.log.count((e) => e.type === 'result-sent')).toBe(0);
      expect(mailUsersCreated(s.labFile)).toBe(1);
    } finally {
      await raw.close();
    }
  });
});

describe('a hub restarted mid-job', () => {
  it('resolves the job by re-probing after restart and never sends a mutating cmdlet twice', async () => {
    const s = await setup(300);
    const children: ChildFixture<unknown>[] = [];
    try {
      const dbFile = path.join(s.dir, 'bot.db');
      const keyPem = path.join(s.dir, 'bot-signing.pem');
      const db = await openStore(dbFile);
      const secret = await registerAgent(db.relay, 'ex01', new Date().toISOString());
      await db.close();
      writeAgentKeyFile(s.keyFile, {
        agentId: 'ex01',
        secret,
        botPublicKey: publicKeyPem(loadOrCreateSigningKey(keyPem)),
      });
      const port = await freePort();
      const hubArgs = [String(port), dbFile, keyPem, 'sfb-online-2019'];

      const hub1 = spawnTs<{ type: string }>('test/relay/fixtures/hub-process.ts', hubArgs);
      children.push(hub1);
      await hub1.log.waitFor((e) => e.type === 'listening', 30_000, 'hub listening');
      const agent = spawnAgent(s, `ws://127.0.0.1:${port}/relay`);
      children.push(agent);
      const accepted = (await agent.log.waitFor(
        (e) => e.type === 'job-accepted' && e.cmdlets.some((c) => c.startsWith('New-')),
        60_000,
        'a mutating job on the agent',
      )) as { jobId: string };
      await kill(hub1);

      const hub2 = spawnTs<{ type: string; state?: string; resumed?: boolean; error?: string }>(
        'test/relay/fixtures/hub-process.ts',
        hubArgs,
      );
      children.push(hub2);
      const done = await hub2.log.waitFor(
        (e) => e.type === 'done' || e.type === 'crashed',
        60_000,
        'resumed run finished',
      );
      expect(done).toMatchObject({ type: 'done', state: 'succeeded', resumed: true });

      // The mutating job's result was sent only after the first hub was gone: the restarted hub got it.
      const resultEvents = agent.log.events.filter(
        (e) => e.type === 'result-sent' && e.jobId === accepted.jobId,
      );
      expect(resultEvents).toHaveLength(1);
      const events = agent.log.events;
      const acceptedIndex = events.indexOf(accepted as AgentEvent);
      const lostHubIndex = events.findIndex((e, i) => i > acceptedIndex && e.type === 'disconnected');
      expect(lostHubIndex).toBeGreaterThan(acceptedIndex);
      expect(events.indexOf(resultEvents[0] as AgentEvent)).toBeGreaterThan(lostHubIndex);
      await agent.log.waitFor((e) => e.type === 'result-acked' && e.jobId === accepted.jobId, 10_000);

      const log = loadLabFile(s.labFile).org.commandLog;
      expect(repeatedMutations(log)).toEqual([]);
      expect(log.filter((entry) => entry.cmdlet === 'New-MailUser')).toHaveLength(1);
      const check = await openStore(dbFile);
      expect((await check.relay.getJob(accepted.jobId))?.status).toBe('succeeded');
      await check.close();
    } finally {
      for (const child of children) await kill(child);
      s.cleanup();
    }
  });
});

describe('a bot killed with SIGKILL at one point of a run after another', () => {
  // Each restart resumes the run and is killed at the next point: right after a command was journaled and audited
  // as sent, right after the agent ran one but before its answer was journaled, right after an answer was journaled.
  const POINTS = [
    'run.created',
    ...Array.from({ length: 3 }, () => ['command.answered', 'command.sent', 'command.finished']).flat(),
  ];

  it('resumes through the relay each time: history holds every change the org shows, and none ran twice', async () => {
    const s = await setup(0);
    const children: ChildFixture<unknown>[] = [];
    try {
      const dbFile = path.join(s.dir, 'bot.db');
      const keyPem = path.join(s.dir, 'bot-signing.pem');
      const db = await openStore(dbFile);
      const secret = await registerAgent(db.relay, 'ex01', new Date().toISOString());
      await db.close();
      writeAgentKeyFile(s.keyFile, {
        agentId: 'ex01',
        secret,
        botPublicKey: publicKeyPem(loadOrCreateSigningKey(keyPem)),
      });
      const port = await freePort();
      const hubArgs = [String(port), dbFile, keyPem, 'sfb-online-2019'];
      children.push(spawnAgent(s, `ws://127.0.0.1:${port}/relay`));
      let done: { type: string; state?: string } | undefined;
      for (const point of [...POINTS, null]) {
        const hub = spawnTs<{ type: string; state?: string }>(
          'test/relay/fixtures/hub-process.ts',
          hubArgs,
          point ? { [CRASH_AT]: `${point}:1` } : {},
        );
        children.push(hub);
        await hub.exited;
        done = hub.log.events.find((event) => event.type === 'done' || event.type === 'crashed');
        if (done) break;
        expect(hub.child.signalCode).toBe('SIGKILL');
      }
      expect(done).toMatchObject({ type: 'done', state: 'succeeded' });

      const log = loadLabFile(s.labFile).org.commandLog;
      expect(repeatedMutations(log)).toEqual([]);
      const check = await openStore(dbFile);
      const entries = await check.runs.listAudit(5000);
      await check.close();
      const sent = entries.filter((entry) => entry.action === 'command.sent');
      const texts = new Set(sent.map((entry) => entry.detail));
      const changes = log.filter((entry) => entry.mutating && entry.ok);
      expect(changes).toHaveLength(5);
      for (const change of changes)
        expect(texts.has(renderCommand({ cmdlet: change.cmdlet, params: change.params } as EmsCommand))).toBe(
          true,
        );
      const completed = new Set(entries.map((entry) => entry.completes));
      expect(sent.filter((entry) => !completed.has(entry.seq))).toEqual([]);
      expect(entries.map((entry) => entry.outcome)).toEqual(
        expect.arrayContaining([
          'found applied after restart',
          'not applied (after restart): sent once more',
        ]),
      );
    } finally {
      for (const child of children) await kill(child);
      s.cleanup();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

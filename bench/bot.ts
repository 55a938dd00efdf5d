/**
 * The Teams surface: turn latency of `help` through /api/messages against a bare botbuilder echo bot in the same
 * run, and approval invoke latency with 100 concurrent clicks (10 approvals, each clicked 10 times at once) against
 * a bare CloudAdapter invoke handler clicked 100 times at the same moment. The simulated org lives in a process
 * of its own (bench/bot-org.ts), reached over the relay and HTTPS as a real org is, and the clicks come from
 * another (bench/bot-clicks.ts), as Teams' do: this process does only the bot's work, the clicks and the runs
 * the approvals start (probes, journal, cards), as in production.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import pino from 'pino';
import * as restify from 'restify';
import { type AppDocuments, createApp } from '../src/app';
import { callerOf } from '../src/bot/caller';
import { VERBS } from '../src/bot/cards/elements';
import { planCardFor } from '../src/bot/commands/change-handlers';
import type { RunCoordinator } from '../src/bot/run-coordinator';
import { loadConfig } from '../src/config/load-config';
import { systemClock } from '../src/core/ports';
import {
  LAB_ADMIN_CHANNEL_ID,
  LAB_BOT,
  LAB_TEAM_ID,
  LAB_TENANT_ID,
  labBotEnv,
  labPerson,
} from '../src/playground/identities';
import { getRunbook, validateInputs } from '../src/runbooks';
import { openStore } from '../src/store/open-store';
import type { Store } from '../src/store/store';
import { type ClickAnswer, post, startClicker } from './bot-clicks';
import { botSideOf, startOrgProcess } from './bot-org';
import { type BenchFigure, median, ratioFigure } from './harness';

const TURNS = 400;
const WARMUP = 50;
const APPROVALS = 10;
const CLICKS_EACH = 10;
/** Rounds of approve clicks, each on ten fresh approvals; the figure is each side's median round. */
const ROUNDS = 5;
/** A connector that accepts every post and update, so proactive posts cost what a fast Teams would. */
async function startConnector(): Promise<{ url: string; close: () => Promise<void> }> {
  let next = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `m${next++}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function activity(serviceUrl: string, who: number, extra: Record<string, unknown>): Record<string, unknown> {
  const person = labPerson(who);
  return {
    channelId: 'msteams',
    serviceUrl,
    id: `a${Math.random()}`,
    from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
    recipient: { ...LAB_BOT },
    conversation: {
      id: `${LAB_ADMIN_CHANNEL_ID};messageid=1`,
      conversationType: 'channel',
      isGroup: true,
      tenantId: LAB_TENANT_ID,
    },
    channelData: {
      tenant: { id: LAB_TENANT_ID },
      team: { id: LAB_TEAM_ID },
      channel: { id: LAB_ADMIN_CHANNEL_ID },
    },
    ...extra,
  };
}

/** Sequential turns, answered inline (deliveryMode expectReplies), after a warm-up; returns the latencies. */
async function turns(url: string, body: () => unknown, check: (text: string) => void): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + TURNS; i++) {
    const { ms, text } = await post(url, body());
    if (i === 0) check(text);
    if (i >= WARMUP) times.push(ms);
  }
  return times;
}

async function echoBot(): Promise<{ url: string; close: () => Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type === 'invoke') {
        // A bare Universal Action handler: answers every click with a small card, as a do-nothing bot would.
        const value = {
          type: 'AdaptiveCard',
          version: '1.5',
          body: [{ type: 'TextBlock', text: 'clicked' }],
        };
        await context.sendActivity({
          type: 'invokeResponse',
          value: {
            status: 200,
            body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value },
          },
        });
        return;
      }
      await context.sendActivity(`echo: ${context.activity.text}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

const p99 = (answers: readonly ClickAnswer[]) =>
  percentile(
    answers.map((answer) => answer.ms),
    99,
  );

/** Each of the ten approvals was decided by exactly one of its clicks; the others were told so. */
function expectWinners(answers: readonly ClickAnswer[], won: string): void {
  const winners = answers.filter((answer) => answer.text.includes(won)).length;
  if (winners !== APPROVALS)
    throw new Error(`expected ${APPROVALS} clicks to answer "${won}", got ${winners}`);
}

/** Lets the runs of the last round finish and the bot go quiet, so a round's clicks meet only each other. */
async function settle(coordinator: RunCoordinator): Promise<void> {
  await coordinator.idle();
  await coordinator.turns.quiet();
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/**
 * The approved runs really ran: the first applied its plan against the org process; each of the others found the
 * org changed by it at its check before the run and posted a fresh plan instead (one run at a time per target).
 */
async function checkRunsRan(store: Store<AppDocuments>): Promise<void> {
  const runs = await store.runs.listRuns();
  const audit = await store.runs.listAudit(1_000);
  const count = (action: string) => audit.filter((entry) => entry.action === action).length;
  const succeeded = runs.filter((run) => run.state === 'succeeded').length;
  if (succeeded < 1 || runs.length + count('approval.superseded') !== APPROVALS * ROUNDS)
    throw new Error(
      `expected the ${APPROVALS * ROUNDS} approved runs to run or be superseded, got ${succeeded} succeeded of ${runs.length} runs and ${count('approval.superseded')} superseded`,
    );
}

/** The bot's figures. */
export async function benchBot(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-bench-bot-'));
  const org = await startOrgProcess(dir);
  const store = await openStore<AppDocuments>(path.join(dir, 'bot.db'));
  const parts = await botSideOf(org, store.relay);
  const connector = await startConnector();
  const app = await createApp(loadConfig({ ...labBotEnv(), LOG_LEVEL: 'silent' }), {
    clock: systemClock,
    ems: parts.ems,
    attachRelay: parts.attachRelay,
    graph: parts.graph,
    store,
    target: 'lab:bench',
    logger: pino({ level: 'silent' }),
  });
  const echo = await echoBot();
  const clicker = await startClicker();
  try {
    const bot = await app.listen(0);
    await parts.connectAgent(bot.url);
    const helpTurn = () =>
      activity(connector.url, 0, {
        type: 'message',
        text: `<at>${LAB_BOT.name}</at> help`,
        deliveryMode: 'expectReplies',
      });
    const echoTurn = () =>
      activity(connector.url, 0, { type: 'message', text: 'help', deliveryMode: 'expectReplies' });
    const expectText = (needle: string) => (text: string) => {
      if (!text.includes(needle)) throw new Error(`unexpected reply: ${text.slice(0, 200)}`);
    };
    // Interleaved rounds so that both bots see the same machine load.
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < 2; round++) {
      baseline.push(...(await turns(echo.url, echoTurn, expectText('echo: help'))));
      ours.push(...(await turns(`${bot.url}/api/messages`, helpTurn, expectText('What I can do'))));
    }

    // 10 approvals requested by Alex; Lee clicks Approve on each 10 times at once: 100 concurrent invokes.
    const services = app.services;
    const runbook = getRunbook('teams');
    const inputs = validateInputs(runbook, { domain: 'contoso.com', dc: 'dc01.contoso.com' });
    const alex = callerOf(activity(connector.url, 0, { type: 'message' }));
    // Every approval is requested before any is decided: the first approved run applies its plan, and every
    // later one finds the org changed at its check before the run (one run at a time per target).
    const requestApprovals = async (first: number): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = first; i < first + APPROVALS; i++) {
        const card = await planCardFor(services, runbook, inputs, alex.name, alex.conversationId);
        const planId = JSON.stringify(card).match(/"planId":"([0-9a-f-]{36})"/)?.[1] ?? '';
        const outcome = await services.approvals.request(planId, alex, `card-${i}`);
        if (outcome.kind !== 'requested') throw new Error(outcome.message);
        ids.push(outcome.approval.id);
      }
      return ids;
    };
    const clicksOn = (approvalIds: readonly string[], verb: string, first: number) =>
      approvalIds.flatMap((approvalId, i) =>
        Array.from({ length: CLICKS_EACH }, () =>
          activity(connector.url, 2, {
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { type: 'Action.Execute', verb, data: { approvalId } } },
            replyToId: `card-${first + i}`,
          }),
        ),
      );
    const rejects = clicksOn(await requestApprovals(0), VERBS.reject, 0);
    const rounds: unknown[][] = [];
    for (let round = 1; round <= ROUNDS; round++)
      rounds.push(clicksOn(await requestApprovals(round * APPROVALS), VERBS.approve, round * APPROVALS));
    const ourUrl = `${bot.url}/api/messages`;
    // A warm-up round for both, as a bot in service is warm: Lee rejects ten other approvals the same way.
    await clicker.burst(echo.url, rejects);
    expectWinners(await clicker.burst(ourUrl, rejects), 'Rejected: nothing will run.');
    const ourP99: number[] = [];
    const bareP99: number[] = [];
    for (const clicks of rounds) {
      await settle(services.coordinator);
      // The bare handler gets the same 100 concurrent clicks just before and just after ours (one process
      // hosts both, so clicking both at once would make each wait for the other): the machine's load is the same.
      // The burst after waits for the work the approvals started (the runs, everyone's copy of the cards), as ours
      // met none. The bare round's p99 is the mean of its two bursts' p99s; each burst opens its own connections.
      const before = await clicker.burst(echo.url, clicks);
      const answers = await clicker.burst(ourUrl, clicks);
      await settle(services.coordinator);
      const after = await clicker.burst(echo.url, clicks);
      const bare = [...before, ...after];
      if (!bare.every((answer) => answer.text.includes('clicked')))
        throw new Error(`unexpected bare answer: ${bare[0]?.text.slice(0, 200)}`);
      expectWinners(answers, 'Approved: the run starts below.');
      ourP99.push(p99(answers));
      bareP99.push((p99(before) + p99(after)) / 2);
    }
    await services.coordinator.idle();
    await checkRunsRan(store);
    return [
      ratioFigure(
        'bot: help turn p50 via /api/messages vs bare echo bot',
        'ms',
        median(ours),
        median(baseline),
        1.2,
      ),
      ratioFigure(
        `bot: approve invoke p99, ${APPROVALS * CLICKS_EACH} concurrent clicks, vs bare CloudAdapter invoke handler (median of ${ROUNDS} rounds)`,
        'ms',
        median(ourP99),
        median(bareP99),
        1.3,
      ),
    ];
  } finally {
    await clicker.close();
    await app.close();
    await echo.close();
    await connector.close();
    await parts.close();
    await org.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchBot().then(
    // Forked by `npm run bench` (bench/run.ts): the figures go back over IPC; run alone: to stdout.
    (figures) =>
      process.send
        ? process.send({ type: 'figures', figures })
        : process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

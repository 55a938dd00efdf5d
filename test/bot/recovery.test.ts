import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { VERBS } from '../../src/bot/cards/elements';
import { repeatedMutations } from '../support/lab-org';
import { ALEX, type BotHarness, buttons, cardText, LEE, MovableClock, startBot } from './support';

const PLAN = 'plan teams domain=contoso.com dc=dc01.contoso.com';

/** Alex plans teams and requests approval; Lee approves. Resolves with the approval id. */
async function approveTeams(bot: BotHarness): Promise<string> {
  const [plan] = await bot.say(PLAN, ALEX);
  const request = buttons(plan ?? null)['Request approval'];
  const answer = await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX, 'plan-card');
  const approvalId = JSON.stringify(answer.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
  await bot.click(VERBS.approve, { approvalId }, LEE, 'plan-card');
  return approvalId;
}

/** A bot whose run stops (as if the process died) right after the org ran the third command, before its answer was journaled. */
async function crashedRun(dir: string): Promise<{ first: BotHarness; approvalId: string; runId: string }> {
  let finished = 0;
  const first = await startBot({
    dir,
    checkpoint: (label) => {
      if (label === 'command.answered' && ++finished === 3) throw new Error('process killed');
    },
  });
  const approvalId = await approveTeams(first);
  await first.app.services.coordinator.idle();
  const runId = (await first.app.store.approvals.getApproval(approvalId))?.runId ?? '';
  expect((await first.app.store.runs.getRun(runId))?.state).toBe('running');
  return { first, approvalId, runId };
}

const runCardUpdates = (bot: BotHarness, messageId: string) =>
  bot.adapter.updates
    .filter((update) => update.id === messageId)
    .map((update) => cardText(update.attachments?.[0]?.content as AdaptiveCard));

describe('a bot restarted after it stopped mid-run', () => {
  const bots: BotHarness[] = [];
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-restart-'));
  });
  afterEach(async () => {
    for (const bot of bots.splice(0).reverse()) await bot.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the run under its original approval, updates its run card and tells the channel', async () => {
    const { first, approvalId, runId } = await crashedRun(dir);
    await first.close();
    const second = await startBot({ dir: first.dir, databaseUrl: first.databaseUrl });
    bots.push(second);
    await second.app.services.coordinator.idle();

    expect((await second.app.store.runs.getRun(runId))?.state).toBe('succeeded');
    const approval = await second.app.store.approvals.getApproval(approvalId);
    expect(approval?.runId).toBe(runId);
    const texts = second.cards().map(cardText);
    expect(texts.some((text) => text.includes('Resuming a run after a restart'))).toBe(true);
    expect(texts.at(-1)).toContain('Succeeded and verified');
    expect(runCardUpdates(second, approval?.runMessageId ?? '').at(-1)).toContain('All steps done. 13/13');
    expect(repeatedMutations(second.lab.state.org.commandLog)).toEqual([]);
    const status = cardText((await second.say(`status ${runId.slice(0, 8)}`, LEE))[0]);
    expect(status).toContain('succeeded');
    expect((await second.app.store.runs.listAudit(500)).map((entry) => entry.action)).toContain(
      'run.resumed',
    );
  });

  it('marks the run interrupted, with the reason, once its approval is no longer valid; a new approval starts a new run', async () => {
    const { first, runId } = await crashedRun(dir);
    const clock = new MovableClock();
    clock.advance(45 * 60_000);
    await first.close();
    const second = await startBot({ dir: first.dir, databaseUrl: first.databaseUrl, clock });
    bots.push(second);

    const run = await second.app.store.runs.getRun(runId);
    expect(run).toMatchObject({ state: 'interrupted' });
    expect(run?.reason).toMatch(/its approval is older than 30 minutes/);
    const told = second.cards().map(cardText);
    expect(told.at(-1)).toContain(`Run ${runId.slice(0, 8)} (teams) was interrupted`);
    const approval = await second.app.store.approvals.findApprovalByRun(runId);
    expect(runCardUpdates(second, approval?.runMessageId ?? '').at(-1)).toContain('Interrupted.');
    expect(cardText((await second.say(`status ${runId.slice(0, 8)}`, LEE))[0])).toContain('interrupted');

    const next = await approveTeams(second);
    await second.app.services.coordinator.idle();
    const nextRun = (await second.app.store.approvals.getApproval(next))?.runId;
    expect(nextRun).toBeTruthy();
    expect(nextRun).not.toBe(runId);
    expect((await second.app.store.runs.getRun(nextRun ?? ''))?.state).toBe('succeeded');
  });
});

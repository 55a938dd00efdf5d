import type { AdaptiveCard } from '@microsoft/teams-ai';
import { card, text, VERBS } from '../../src/bot/cards/elements';
import { CoalescedCard } from '../../src/bot/coalesced-card';
import { ALEX, type BotHarness, buttons, cardText, LEE, MEGAN, startBot } from './support';

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('runs: cancellation and card updates', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await startBot({ labOptions: { latencyMs: 25 } });
  });
  afterEach(async () => {
    await bot.close();
  });

  async function approveTeamsPlan(): Promise<string> {
    const [plan] = await bot.say('plan teams domain=contoso.com dc=dc01.contoso.com', ALEX);
    const request = buttons(plan ?? null)['Request approval'];
    const answer = await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX, 'plan-card');
    const approvalId = JSON.stringify(answer.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
    await bot.click(VERBS.approve, { approvalId }, LEE, 'plan-card');
    return approvalId;
  }

  it('stops a run between steps on cancel; the run card and the result say where it stopped', async () => {
    const approvalId = await approveTeamsPlan();
    await until(async () => Boolean((await bot.app.store.approvals.getApproval(approvalId))?.runId));
    const runId = (await bot.app.store.approvals.getApproval(approvalId))?.runId ?? '';
    await until(async () =>
      (await bot.app.store.runs.listSteps(runId)).some((step) => step.state === 'succeeded'),
    );
    const reply = await bot.say(`cancel ${runId.slice(0, 8)}`, MEGAN);
    expect(cardText(reply[0])).toContain('stops after its current step');
    await bot.app.services.coordinator.idle();
    const run = await bot.app.store.runs.getRun(runId);
    expect(run?.state).toBe('failed');
    expect((await bot.app.store.runs.listSteps(runId)).some((step) => step.state === 'pending')).toBe(true);
    const texts = bot.cards().map(cardText);
    // The result says who cancelled and what the run left undone, not "Failed … fix the cause above".
    const result = texts.at(-1) ?? '';
    expect(result).toContain('Cancelled by Megan Bowen.');
    expect(result).not.toMatch(/Failed|fix the cause/);
    expect(result).toMatch(/Not reached\n[1-9]/);
    expect(result).toMatch(/Left not done: .*Role/);
    const status = cardText((await bot.say(`status ${runId.slice(0, 8)}`, LEE))[0]);
    expect(status).toContain('failed');
  });

  it('updates the run card far less often than the engine reports progress', async () => {
    await approveTeamsPlan();
    await bot.app.services.coordinator.idle();
    const runUpdates = bot.adapter.updates.filter((update) =>
      cardText(update.attachments?.[0]?.content as AdaptiveCard).startsWith('Run:'),
    );
    // 13 steps report about 40 events; coalescing sends a fraction of them, and always the final state.
    expect(runUpdates.length).toBeLessThan(30);
    expect(cardText(runUpdates.at(-1)?.attachments?.[0]?.content as AdaptiveCard)).toContain(
      'All steps done',
    );
  });
});

describe('coalesced card updates', () => {
  it('sends the newest state, at most once per interval, and the final state on flush', async () => {
    const sent: string[] = [];
    const updater = new CoalescedCard(
      async (next) => {
        sent.push(cardText(next));
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
      50,
      (error) => {
        throw error;
      },
    );
    const started = Date.now();
    for (let i = 1; i <= 100; i++) {
      updater.set(card([text(`state ${i}`)]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await updater.flush();
    const elapsed = Date.now() - started;
    expect(sent.at(-1)).toContain('state 100');
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 2);
    expect(sent.length).toBeLessThan(10);
  });
});

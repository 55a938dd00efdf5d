import Database from 'better-sqlite3';
import { ALERT_VERBS } from '../../src/alerts/types';
import { VERBS } from '../../src/bot/cards/elements';
import type { EmsCommand } from '../../src/core/ems';
import { ALEX, type BotHarness, buttons, cardText, LAB_ORG, LEE, MEGAN, startBot } from './support';

const PLAN = 'plan teams domain=contoso.com dc=dc01.contoso.com';

/** The id of the plan the bot saved last (a card without a button carries none). */
function lastPlanId(bot: BotHarness): string {
  const db = new Database(bot.databaseUrl, { readonly: true });
  try {
    return (
      db.prepare('SELECT id FROM bot_plans ORDER BY created_at DESC, rowid DESC LIMIT 1').get() as {
        id: string;
      }
    ).id;
  } finally {
    db.close();
  }
}

async function requested(bot: BotHarness): Promise<string> {
  const [plan] = await bot.say(PLAN, ALEX);
  const request = buttons(plan ?? null)['Request approval'];
  const answer = await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX, 'plan-card');
  return JSON.stringify(answer.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
}

const audited = async (bot: BotHarness, action: string) =>
  (await bot.app.store.runs.listAudit(500)).filter((entry) => entry.action === action);

describe('the approval rules, enforced by the approvals service when an approval is requested', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(() => bot.close());

  it('refuses to open an approval for a plan that changes nothing, even when the card is bypassed', async () => {
    const first = await requested(bot);
    await bot.click(VERBS.approve, { approvalId: first }, LEE);
    await bot.app.services.coordinator.idle();
    const [again] = await bot.say(PLAN, ALEX);
    expect(buttons(again ?? null)['Request approval']).toBeUndefined();

    const answer = await bot.click(VERBS.requestApproval, { planId: lastPlanId(bot) }, ALEX);
    expect(answer.text).toContain(
      'This plan changes nothing, so there is nothing to approve and nothing was requested.',
    );
    expect(await bot.countRows('bot_approvals')).toBe(1);
    expect((await audited(bot, 'approval.request.refused')).at(-1)?.outcome).toBe('nothingToChange');
  });

  it('refuses to open an approval for remove-legacy-sfb without its acknowledgement, even when the card is bypassed', async () => {
    const commands: EmsCommand[] = [
      { cmdlet: 'New-MailUser', params: { Name: 'SfBOnline-App', ExternalEmailAddress: 'sfb@contoso.com' } },
      {
        cmdlet: 'New-PartnerApplication',
        params: {
          Name: 'SfBOnline',
          ApplicationIdentifier: '00000004-0000-0ff1-ce00-000000000000',
          Enabled: true,
        },
      },
    ];
    for (const command of commands) expect((await bot.lab.exchange.execute(command)).ok).toBe(true);
    const [plan] = await bot.say('plan remove-legacy-sfb dc=dc01.contoso.com', ALEX);
    expect(buttons(plan ?? null)['Request approval']).toBeUndefined();

    const answer = await bot.click(VERBS.requestApproval, { planId: lastPlanId(bot) }, ALEX);
    expect(answer.text).toContain(
      'Runbook remove-legacy-sfb has a caution that was not acknowledged, so nothing was requested',
    );
    expect(await bot.countRows('bot_approvals')).toBe(0);
    expect((await audited(bot, 'approval.request.refused')).at(-1)?.outcome).toBe('cautionNotAcknowledged');
  });
});

describe('the audit log records every decision', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await startBot({ org: LAB_ORG, labOptions: { latencyMs: 25 } });
    await bot.send({ type: 'installationUpdate', action: 'add' }, ALEX, 'general');
  });
  afterEach(() => bot.close());

  it('a withdrawn approval, with who withdrew it', async () => {
    const approvalId = await requested(bot);
    await bot.say(`cancel ${approvalId.slice(0, 8)}`, MEGAN);
    expect(await audited(bot, 'approval.withdrawn')).toEqual([
      expect.objectContaining({
        actor: expect.stringContaining('Megan Bowen'),
        detail: expect.stringContaining(approvalId),
      }),
    ]);
  });

  it('an expired approval, once however often it is clicked', async () => {
    const approvalId = await requested(bot);
    bot.clock.advance(31 * 60_000);
    await bot.click(VERBS.approve, { approvalId }, LEE);
    await bot.click(VERBS.approve, { approvalId }, LEE);
    expect(await audited(bot, 'approval.expired')).toEqual([
      expect.objectContaining({ actor: 'hybridops', detail: expect.stringContaining(approvalId) }),
    ]);
    expect((await bot.app.store.approvals.getApproval(approvalId))?.state).toBe('expired');
  });

  it('a rejection and who cancelled a run', async () => {
    const rejected = await requested(bot);
    await bot.click(VERBS.reject, { approvalId: rejected }, LEE);
    expect(await audited(bot, 'approval.rejected')).toHaveLength(1);

    const approvalId = await requested(bot);
    await bot.click(VERBS.approve, { approvalId }, LEE);
    const deadline = Date.now() + 10_000;
    while (!(await bot.app.store.approvals.getApproval(approvalId))?.runId && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const runId = (await bot.app.store.approvals.getApproval(approvalId))?.runId ?? '';
    await bot.say(`cancel ${runId.slice(0, 8)}`, MEGAN);
    await bot.app.services.coordinator.idle();
    expect(await audited(bot, 'run.cancelled')).toEqual([
      expect.objectContaining({ actor: expect.stringContaining('Megan Bowen'), runId }),
    ]);
  });

  it('watch on, off and thresholds, with who changed them', async () => {
    await bot.say('watch off', MEGAN);
    await bot.say('watch on', ALEX);
    await bot.say('watch thresholds 60,30,7', MEGAN);
    await bot.say('watch status', MEGAN);
    const changes = (await bot.app.store.runs.listAudit(500)).filter((entry) =>
      entry.action.startsWith('watch.'),
    );
    expect(changes.map((entry) => [entry.action, entry.actor.split(' (')[0]])).toEqual([
      ['watch.off', 'Megan Bowen'],
      ['watch.on', 'Alex Wilber'],
      ['watch.thresholds', 'Megan Bowen'],
    ]);
    expect(changes.at(-1)?.detail).toContain('thresholds 60, 30, 7 days');
  });

  it('an alert acknowledged or snoozed, with who did it', async () => {
    await bot.app.watch?.scan(LAB_ORG.id);
    const actions = buttons(bot.cards().at(-1) ?? null);
    await bot.click(ALERT_VERBS.snooze, actions['Snooze 7 days']?.data, LEE);
    await bot.click(ALERT_VERBS.acknowledge, actions.Acknowledge?.data, MEGAN);
    expect((await audited(bot, 'alert.snoozed'))[0]).toMatchObject({
      actor: expect.stringContaining('Lee Gu'),
      detail: expect.stringContaining('for 7 day(s)'),
    });
    expect((await audited(bot, 'alert.acknowledged'))[0]?.actor).toContain('Megan Bowen');
  });

  it('shows the decisions in history', async () => {
    const approvalId = await requested(bot);
    await bot.say(`cancel ${approvalId.slice(0, 8)}`, MEGAN);
    expect(cardText((await bot.say('history', LEE))[0])).toContain('Withdrew an approval');
  });
});

import { ALERT_VERBS } from '../../src/alerts/types';
import { ALEX, type BotHarness, buttons, cardText, DIEGO, LAB_ORG, LEE, MEGAN, startBot } from './support';

describe('cert, inspect, watch and alert cards for the managed org', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await startBot({ org: LAB_ORG });
    await bot.send({ type: 'installationUpdate', action: 'add' }, ALEX, 'general');
  });
  afterEach(async () => {
    await bot.close();
  });

  const reply = async (text: string, who = ALEX) => cardText((await bot.say(text, who))[0]);

  it('shows the auth certificate and the keys on each service principal', async () => {
    const text = await reply('cert', LEE);
    expect(text).toContain('Current:');
    expect(text).toMatch(/days left/);
  });

  it('explains a token that is not a JWT in one sentence', async () => {
    expect(await reply('inspect not-a-token', MEGAN)).toMatch(/Token inspection/);
  });

  it('verifies the managed org without arguments', async () => {
    expect(await reply('verify', LEE)).toMatch(/\d+\/\d+ checks pass/);
  });

  it('turns the watch off and on, and refuses bad thresholds with a sentence', async () => {
    expect(await reply('watch off')).toContain('is off');
    expect(await reply('watch on')).toContain('is on');
    expect(await reply('watch thresholds 60,30,7')).toContain('thresholds 60, 30, 7');
    expect(await reply('watch thresholds soon')).toContain('watch did not change');
  });

  it('posts an alert card to the admin channel; Acknowledge, Snooze and Plan the fix work from it', async () => {
    const scan = await bot.app.watch?.scan(LAB_ORG.id);
    expect(scan?.state).toBe('failing');
    const alert = bot.cards().at(-1) ?? null;
    expect(bot.adapter.activeQueue.at(-1)?.conversation?.id).toContain('19:hybridops-ops@thread.tacv2');
    const actions = buttons(alert);
    expect(Object.keys(actions)).toEqual(
      expect.arrayContaining(['Acknowledge', 'Snooze 1 day', 'Plan the fix']),
    );

    const refused = await bot.click(ALERT_VERBS.acknowledge, actions.Acknowledge?.data, DIEGO);
    expect(refused.text).toContain('not on the list');
    const snoozed = await bot.click(ALERT_VERBS.snooze, actions['Snooze 7 days']?.data, LEE);
    expect(snoozed.text).toContain('Snoozed by Lee Gu');
    const acknowledged = await bot.click(ALERT_VERBS.acknowledge, actions.Acknowledge?.data, MEGAN);
    expect(acknowledged.text).toContain('Acknowledged by Megan Bowen');

    await bot.click(
      ALERT_VERBS.planFix,
      { alertId: actions['Plan the fix']?.data.alertId, runbook: 'remove-legacy-sfb' },
      MEGAN,
    );
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 10_000;
      const check = () => {
        if (cardText(bot.cards().at(-1)).startsWith('Plan: Exchange Server ↔ Microsoft Teams')) resolve();
        else if (Date.now() > deadline) reject(new Error('no plan card was posted'));
        else setTimeout(check, 10);
      };
      check();
    });
  });

  it('runs nothing for an alert id it does not know', async () => {
    expect((await bot.click(ALERT_VERBS.acknowledge, { alertId: 'nope' }, LEE)).text).toContain(
      'I have no such alert',
    );
  });
});

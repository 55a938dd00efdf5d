import { VERBS } from '../../src/bot/cards/elements';
import { ALEX, type BotHarness, buttons, cardText, DIEGO, LEE, MEGAN, startBot, type Where } from './support';

describe('who may do what, and where', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  const planCount = () => bot.countRows('bot_plans');
  const probes = () => bot.lab.state.org.commandLog.length;

  it.each<[Where, string]>([
    ['otherTenant', 'only works for its own organization'],
    ['otherTeam', 'only take commands in the admin team'],
    ['general', 'only take commands in the admin channel'],
    ['groupChat', 'do not take commands in group chats'],
  ])('politely refuses a message from %s and runs nothing', async (where, sentence) => {
    const [plans, log] = [await planCount(), probes()];
    const cards = await bot.say('plan teams domain=contoso.com dc=dc01.contoso.com', ALEX, where);
    expect(cardText(cards[0])).toContain(sentence);
    expect(cardText(cards[0])).toContain('Nothing was run');
    expect(await planCount()).toBe(plans);
    expect(probes()).toBe(log);
  });

  it('refuses even help from another tenant', async () => {
    expect(cardText((await bot.say('help', ALEX, 'otherTenant'))[0])).toContain(
      'only works for its own organization',
    );
  });

  it('refuses plan from an approver who is not an operator', async () => {
    const log = probes();
    expect(cardText((await bot.say('plan teams domain=contoso.com dc=dc01.contoso.com', LEE))[0])).toContain(
      'only operators may do that',
    );
    expect(probes()).toBe(log);
  });

  it('refuses read-only commands from someone who is neither operator nor approver', async () => {
    expect(cardText((await bot.say('status', DIEGO))[0])).toContain(
      'not on the list of hybridops operators or approvers',
    );
    expect(cardText((await bot.say('history', DIEGO, 'personal'))[0])).toContain('not on the list');
  });

  it('decides on the Entra object id, not on the display name', async () => {
    const impostor = await bot.send(
      {
        type: 'message',
        text: 'plan teams domain=contoso.com dc=dc01.contoso.com',
        from: { id: 'user-id-9', name: 'Megan Bowen', aadObjectId: '99999999-0000-0000-0000-000000000000' },
      },
      MEGAN,
    );
    expect(cardText(impostor[0]?.attachments?.[0]?.content)).toContain('only operators may do that');
  });

  it('refuses a message without an Entra object id', async () => {
    const anonymous = await bot.send(
      { type: 'message', text: 'status', from: { id: 'user-id-8', name: 'Guest' } },
      ALEX,
    );
    expect(cardText(anonymous[0]?.attachments?.[0]?.content)).toContain('not on the list');
  });

  it.each<[Where, RegExp]>([
    ['otherTenant', /only works for its own organization/],
    ['otherTeam', /only take commands in the admin team/],
    ['general', /only take commands in the admin channel/],
    ['groupChat', /do not take commands in group chats/],
    // In personal chat the place is served, so a role refusal may come first: either way nothing is shown.
    ['personal', /only works in the admin channel|only operators may do that/],
  ])(
    'answers every card action from %s with the refusal alone: no plan, no decision',
    async (where, sentence) => {
      const [plan] = await bot.say('plan teams domain=contoso.com dc=dc01.contoso.com', MEGAN);
      const request = buttons(plan ?? null)['Request approval'];
      if (!request) throw new Error('the plan card has no Request approval button');
      const requested = await bot.click(request.verb, request.data, MEGAN);
      const approvalId = JSON.stringify(requested.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
      const actions: [string, unknown][] = [
        [VERBS.refreshApproval, { approvalId }],
        [VERBS.approve, { approvalId }],
        [VERBS.reject, { approvalId }],
        [request.verb, request.data],
      ];
      for (const [verb, data] of actions) {
        const answer = await bot.click(verb, data, LEE, 'card-1', where);
        expect(answer.status).toBe(200);
        expect(answer.text).toMatch(sentence);
        expect(answer.text).not.toMatch(/TeamsScheduler|New-MailUser|Waiting for an approver|Plan:/);
      }
      expect((await bot.app.store.approvals.getApproval(approvalId))?.state).toBe('pending');
    },
  );
});

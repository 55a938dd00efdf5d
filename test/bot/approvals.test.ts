import type { AdaptiveCard } from '@microsoft/teams-ai';
import Database from 'better-sqlite3';
import { VERBS } from '../../src/bot/cards/elements';
import { planCardFor } from '../../src/bot/commands/change-handlers';
import { inputsFromOptions } from '../../src/bot/inputs';
import { LAB_ADMIN_CHANNEL_ID } from '../../src/playground/identities';
import { ALEX, type BotHarness, buttons, cardText, DIEGO, LEE, MEGAN, startBot } from './support';

const PLAN = 'plan teams domain=contoso.com dc=dc01.contoso.com';

describe('approvals on the server', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  const mutations = () =>
    bot.lab.state.org.commandLog.filter((entry) => /^(New|Set|Remove|Add)-/.test(entry.cmdlet)).length;
  const runCount = () => bot.countRows('runs');

  /** A plan card the bot posted, as a message: its id and its Request approval button. */
  async function planned(requester = ALEX) {
    const [posted] = await bot.send({ type: 'message', text: PLAN }, requester);
    const request = buttons(posted?.attachments?.[0]?.content ?? null)['Request approval'];
    if (!posted?.id || !request) throw new Error('no plan card with a Request approval button');
    return { planCardId: posted.id, request };
  }

  /** Alex plans and requests on the plan card; resolves with the approval id, the approval card and the plan card's id. */
  async function requested(
    requester = ALEX,
  ): Promise<{ approvalId: string; card: AdaptiveCard | null; planCardId: string }> {
    const { planCardId, request } = await planned(requester);
    const answer = await bot.click(request.verb, request.data, requester, planCardId);
    const approvalId = JSON.stringify(answer.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1];
    if (!approvalId) throw new Error(`no approval id on: ${answer.text}`);
    return { approvalId, card: answer.card, planCardId };
  }

  it('turns the plan card into an approval card for everyone, carrying only the approval id', async () => {
    const { approvalId, card, planCardId } = await requested();
    expect(cardText(card)).toContain('Waiting for an approver (1 eligible)');
    expect(buttons(card)).toEqual({});
    expect(card?.refresh).toMatchObject({ action: { data: { approvalId } } });
    expect(bot.adapter.updates.map((update) => update.id)).toContain(planCardId);
  });

  it('turns only the plan card the bot posted into the approval card, whatever message the click names', async () => {
    const { planCardId, request } = await planned();
    const [other] = await bot.send({ type: 'message', text: 'status' }, ALEX);
    const otherId = other?.id ?? '';
    const answer = await bot.click(request.verb, request.data, ALEX, otherId);
    expect(answer.text).toContain('Waiting for an approver');
    const updated = bot.adapter.updates.map((update) => update.id);
    expect(updated).toContain(planCardId);
    expect(updated).not.toContain(otherId);
    const approvalId = JSON.stringify(answer.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
    expect((await bot.app.store.approvals.getApproval(approvalId))?.messageId).toBe(planCardId);
    // The Action.Submit fallback of Approve names the other message too: it updates the approval card alone.
    await bot.send({ type: 'message', value: { verb: VERBS.approve, approvalId }, replyToId: otherId }, LEE);
    await bot.app.services.coordinator.idle();
    expect(bot.adapter.updates.map((update) => update.id)).not.toContain(otherId);
  });

  it('updates no message for a plan whose card the bot never posted', async () => {
    const { runbook, inputs } = inputsFromOptions('teams', { domain: 'contoso.com', dc: 'dc01.contoso.com' });
    const unposted = await planCardFor(
      bot.app.services,
      runbook,
      inputs,
      'Alex Wilber',
      LAB_ADMIN_CHANNEL_ID,
    );
    const request = buttons(unposted)['Request approval'];
    const answer = await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX, 'someone-elses-message');
    expect(answer.text).toContain('Waiting for an approver');
    expect(bot.adapter.updates).toEqual([]);
  });

  it('records a plan card posted outside a turn too, as a fresh plan or an alert’s fix is', async () => {
    const { runbook, inputs } = inputsFromOptions('teams', { domain: 'contoso.com', dc: 'dc01.contoso.com' });
    const card = await planCardFor(bot.app.services, runbook, inputs, 'Alex Wilber', LAB_ADMIN_CHANNEL_ID);
    const posted = await bot.app.services.poster.post(
      { channelId: 'msteams', conversation: { id: LAB_ADMIN_CHANNEL_ID } as never },
      card,
    );
    const request = buttons(card)['Request approval'];
    await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX, 'someone-elses-message');
    expect(bot.adapter.updates.map((update) => update.id)).toEqual([posted]);
  });

  it('shows Approve and Reject to an eligible approver on refresh, and a read-only view to everyone else', async () => {
    const { approvalId } = await requested();
    const forLee = await bot.click(VERBS.refreshApproval, { approvalId }, LEE);
    expect(Object.keys(buttons(forLee.card))).toEqual(['Approve', 'Reject']);
    for (const who of [ALEX, MEGAN, DIEGO]) {
      const view = await bot.click(VERBS.refreshApproval, { approvalId }, who);
      expect(buttons(view.card)).toEqual({});
      expect(view.text).toContain(
        'Only a configured approver other than the requester sees Approve and Reject',
      );
    }
  });

  it('answers a refresh and a refused click to the clicker alone: the message everyone sees stays as it is', async () => {
    const { approvalId } = await requested();
    const everyone = bot.adapter.updates.length;
    expect(Object.keys(buttons((await bot.click(VERBS.refreshApproval, { approvalId }, LEE)).card))).toEqual([
      'Approve',
      'Reject',
    ]);
    expect((await bot.click(VERBS.approve, { approvalId }, MEGAN)).text).toContain(
      'only approvers may approve',
    );
    expect(bot.adapter.updates).toHaveLength(everyone);
  });

  it('runs the approved plan: every step done on the run card, a green result card, and the org configured', async () => {
    const { approvalId } = await requested();
    const own = await bot.click(VERBS.approve, { approvalId }, ALEX);
    expect(own.text).toContain(
      'You requested this change, so someone else must approve it. Nothing was run.',
    );
    const approved = await bot.click(VERBS.approve, { approvalId }, LEE);
    expect(approved.text).toContain('Approved by Lee Gu');
    await bot.app.services.coordinator.idle();
    const cards = bot.cards().map(cardText);
    const runCards = bot.adapter.updates
      .map((update) => cardText(update.attachments?.[0]?.content as AdaptiveCard))
      .filter((text) => text.startsWith('Run:'));
    const lastRunCard = runCards.at(-1);
    expect(lastRunCard).toContain('All steps done. 13/13 steps complete.');
    expect(lastRunCard).not.toMatch(/· (pending|running|failed)/);
    expect(cards.at(-1)).toContain('Succeeded and verified');
    const org = bot.lab.state.org;
    expect(org.mailUsers.map((user) => user.name)).toContain('TeamsScheduler');
    expect(org.partnerApplications.map((app) => app.name)).toEqual(
      expect.arrayContaining(['TeamsScheduler', 'CloudVoicemail', 'SfBOnline']),
    );
    const audit = (await bot.app.store.runs.listAudit(100)).map((entry) => entry.action);
    expect(audit).toEqual(
      expect.arrayContaining([
        'approval.requested',
        'approval.approve.refused',
        'approval.approved',
        'run.started',
        'run.finished',
      ]),
    );
  });

  it('runs once when the approve button is clicked twice; the second click says it was already approved', async () => {
    const { approvalId } = await requested();
    const [first, second] = await Promise.all([
      bot.click(VERBS.approve, { approvalId }, LEE),
      bot.click(VERBS.approve, { approvalId }, LEE),
    ]);
    const texts = [first.text, second.text];
    expect(texts.filter((text) => text.includes('Approved: the run starts below.'))).toHaveLength(1);
    expect(
      texts.filter((text) =>
        text.includes('This request was already approved by Lee Gu. Nothing more was run.'),
      ),
    ).toHaveLength(1);
    await bot.app.services.coordinator.idle();
    expect(await runCount()).toBe(1);
  });

  it('decides ten clicks at once with one write: one run, and nine answers naming who approved', async () => {
    const { approvalId } = await requested();
    const writes = jest.spyOn(bot.app.store.approvals, 'decideApproval');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => bot.click(VERBS.approve, { approvalId }, LEE)),
    );
    const texts = answers.map((answer) => answer.text);
    expect(texts.filter((text) => text.includes('Approved: the run starts below.'))).toHaveLength(1);
    // The nine are told in a message; their cards are left as they are, for everyone's copy to replace.
    const losers = answers.filter((answer) => !answer.text.includes('Approved: the run starts below.'));
    expect(losers.map((answer) => [answer.card, answer.text])).toEqual(
      Array.from({ length: 9 }, () => [
        null,
        'This request was already approved by Lee Gu. Nothing more was run.',
      ]),
    );
    // The nine waited for the first click's decision instead of each writing one that could only lose.
    expect(writes).toHaveBeenCalledTimes(1);
    await bot.app.services.coordinator.idle();
    expect(await runCount()).toBe(1);
    // Lee's nine repeats of the click that approved it are not audited: Lee's approval is.
    const audit = await bot.app.store.runs.listAudit(100);
    expect(audit.filter((entry) => entry.action === 'approval.approved')).toHaveLength(1);
    expect(audit.filter((entry) => entry.action === 'approval.approve.refused')).toHaveLength(0);
  });

  it('answers late clicks from memory, and audits another approver’s late click once', async () => {
    const { approvalId } = await requested(MEGAN);
    await bot.click(VERBS.approve, { approvalId }, LEE);
    const reads = jest.spyOn(bot.app.store.approvals, 'getApproval');
    const late = [
      await bot.click(VERBS.approve, { approvalId }, ALEX),
      await bot.click(VERBS.reject, { approvalId }, ALEX),
      await bot.click(VERBS.approve, { approvalId }, LEE),
    ];
    expect(late.map((answer) => answer.text)).toEqual(
      Array.from({ length: 3 }, () => 'This request was already approved by Lee Gu. Nothing more was run.'),
    );
    expect(reads).not.toHaveBeenCalled();
    const refused = (await bot.app.store.runs.listAudit(100)).filter((entry) =>
      entry.action.endsWith('.refused'),
    );
    expect(refused.map((entry) => [entry.action, entry.actor.split(' (')[0], entry.outcome])).toEqual([
      ['approval.approve.refused', 'Alex Wilber', 'alreadyDecided'],
    ]);
    await bot.app.services.coordinator.idle();
  });

  it('runs nothing for an approval id it does not know', async () => {
    const answer = await bot.click(
      VERBS.approve,
      { approvalId: '00000000-1111-2222-3333-444444444444' },
      LEE,
    );
    expect(answer.text).toContain('I have no such approval. Nothing was run.');
    expect(mutations()).toBe(0);
  });

  it.each([
    ['no data', {}],
    ['a forged id', { approvalId: "1' OR '1'='1" }],
    ['an id of the wrong type', { approvalId: 42 }],
    ['extra fields meant to be trusted', { approvalId: 'x', approvedBy: 'Lee Gu', planHash: 'abc' }],
  ])('runs nothing for tampered card data: %s', async (_case, data) => {
    await requested();
    const answer = await bot.click(VERBS.approve, data, LEE);
    expect(answer.text).toContain('carries no valid approval id. Nothing was run.');
    await bot.app.services.coordinator.idle();
    expect(await runCount()).toBe(0);
  });

  it('runs nothing for an approval click from another tenant, even by an approver id', async () => {
    const { approvalId } = await requested();
    const answer = await bot.click(VERBS.approve, { approvalId }, LEE, 'plan-card', 'otherTenant');
    expect(answer.text).toContain('only works for its own organization');
    expect(await runCount()).toBe(0);
  });

  it('runs nothing for a click by someone who is not an approver; the card says why', async () => {
    const { approvalId } = await requested();
    for (const who of [MEGAN, DIEGO]) {
      const answer = await bot.click(VERBS.approve, { approvalId }, who);
      expect(answer.text).toContain('only approvers may approve or reject');
    }
    expect((await bot.app.store.approvals.getApproval(approvalId))?.state).toBe('pending');
  });

  it('runs nothing once the approval expired, and the card says so', async () => {
    const { approvalId } = await requested();
    bot.clock.advance(31 * 60_000);
    const answer = await bot.click(VERBS.approve, { approvalId }, LEE);
    expect(answer.text).toContain('This approval expired before anyone decided. Nothing was run');
    expect(answer.text).toContain('Expired at');
    expect(await runCount()).toBe(0);
  });

  it('runs nothing after a rejection, and later clicks say it was rejected', async () => {
    const { approvalId } = await requested();
    expect((await bot.click(VERBS.reject, { approvalId }, LEE)).text).toContain('Rejected by Lee Gu');
    expect((await bot.click(VERBS.approve, { approvalId }, LEE)).text).toContain(
      'already rejected by Lee Gu',
    );
    await bot.app.services.coordinator.idle();
    expect(await runCount()).toBe(0);
  });

  it('stops before changing anything when the org changed since approval, and posts a new plan to approve', async () => {
    const { approvalId } = await requested();
    // Someone creates the mail user by hand after the plan was approved: the plan no longer matches.
    await bot.lab.exchange.execute({
      cmdlet: 'New-MailUser',
      params: {
        Name: 'TeamsScheduler',
        ExternalEmailAddress: 'SMTP:TeamsScheduler@contoso.com',
        DomainController: 'dc01.contoso.com',
      },
    });
    const before = mutations();
    await bot.click(VERBS.approve, { approvalId }, LEE);
    await bot.app.services.coordinator.idle();
    expect(mutations()).toBe(before);
    expect(await runCount()).toBe(0);
    expect((await bot.app.store.approvals.getApproval(approvalId))?.state).toBe('superseded');
    const texts = bot.cards().map(cardText);
    expect(texts.at(-2)).toContain('Plan changed since approval: nothing was run');
    expect(texts.at(-1)).toContain('Request approval');
  });

  it('runs nothing from a stored plan that can no longer be read, and says to plan again', async () => {
    const { approvalId } = await requested();
    const db = new Database(bot.databaseUrl);
    db.exec(`UPDATE bot_plans SET plan = '{"runbook":"teams","steps":[]}'`);
    db.close();
    const answer = await bot.click(VERBS.approve, { approvalId }, LEE);
    expect(answer.text).toMatch(/Saved plan [0-9a-f-]{36} cannot be read \(title: .*\); nothing was run\./);
    expect(answer.text).toContain('Type plan again to make a new plan, then request approval for it.');
    await bot.app.services.coordinator.idle();
    expect(await runCount()).toBe(0);
    expect(mutations()).toBe(0);
    expect((await bot.app.store.approvals.getApproval(approvalId))?.state).toBe('pending');
  });

  it('refuses a request for approval clicked outside the admin channel', async () => {
    const [plan] = await bot.say(PLAN, ALEX);
    const request = buttons(plan ?? null)['Request approval'];
    const answer = await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX, 'plan-card', 'personal');
    expect(answer.text).toContain('only works in the admin channel');
  });

  it('makes every configured approver but the requester eligible', async () => {
    const [plan] = await bot.say(PLAN, MEGAN);
    const request = buttons(plan ?? null)['Request approval'];
    const answer = await bot.click(request?.verb ?? '', request?.data ?? {}, MEGAN);
    expect(answer.text).toContain('Waiting for an approver (2 eligible)');
  });

  it('returns the same approval when Request approval is clicked twice', async () => {
    const [plan] = await bot.say(PLAN, ALEX);
    const request = buttons(plan ?? null)['Request approval'];
    const first = await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX);
    const second = await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX);
    const id = (answer: { card: AdaptiveCard | null }) =>
      JSON.stringify(answer.card).match(/"approvalId":"([^"]+)"/)?.[1];
    expect(id(second)).toBe(id(first));
    expect(
      (await bot.app.store.runs.listAudit(50)).filter((entry) => entry.action === 'approval.requested'),
    ).toHaveLength(1);
  });

  it('accepts the Action.Submit fallback of Approve with the same checks', async () => {
    const { approvalId } = await requested();
    const own = await bot.send(
      { type: 'message', value: { verb: VERBS.approve, approvalId }, replyToId: 'plan-card' },
      ALEX,
    );
    expect(cardText(own[0]?.attachments?.[0]?.content)).toContain('You requested this change');
    await bot.send(
      { type: 'message', value: { verb: VERBS.approve, approvalId }, replyToId: 'plan-card' },
      LEE,
    );
    await bot.app.services.coordinator.idle();
    expect(await runCount()).toBe(1);
    expect(bot.cards().map(cardText).at(-1)).toContain('Succeeded and verified');
    // A late Submit fallback has no invoke to answer with a message: it gets the sentence as a card.
    const late = await bot.send(
      { type: 'message', value: { verb: VERBS.approve, approvalId }, replyToId: 'plan-card' },
      LEE,
    );
    expect(cardText(late[0]?.attachments?.[0]?.content)).toContain('already approved by Lee Gu');
    expect(await runCount()).toBe(1);
  });

  it('lets an operator cancel a pending approval', async () => {
    const { approvalId } = await requested();
    expect(cardText((await bot.say(`cancel ${approvalId.slice(0, 8)}`, MEGAN))[0])).toContain(
      'Approval withdrawn',
    );
    expect((await bot.click(VERBS.approve, { approvalId }, LEE)).text).toContain(
      'already closed (cancelled)',
    );
  });
});

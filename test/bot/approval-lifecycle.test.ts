import type { AdaptiveCard } from '@microsoft/teams-ai';
import { expireApprovals } from '../../src/bot/approval-updates';
import { VERBS } from '../../src/bot/cards/elements';
import { ALEX, type BotHarness, buttons, cardText, DIEGO, LEE, MEGAN, startBot } from './support';

const PLAN = 'plan teams domain=contoso.com dc=dc01.contoso.com';

/** Plans as `requester` and requests approval on the card; the approval id and the plan card's message id. */
async function requested(bot: BotHarness, requester = ALEX) {
  const [posted] = await bot.send({ type: 'message', text: PLAN }, requester);
  const request = buttons(posted?.attachments?.[0]?.content ?? null)['Request approval'];
  if (!posted?.id || !request) throw new Error('no plan card');
  const answer = await bot.click(request.verb, request.data, requester, posted.id);
  const approvalId = JSON.stringify(answer.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
  return { approvalId, card: answer.card, planCardId: posted.id };
}

/** The latest card the bot put in place of message `id` for everyone. */
const updatedTo = (bot: BotHarness, id: string): AdaptiveCard | null =>
  (bot.adapter.updates.filter((update) => update.id === id).at(-1)?.attachments?.[0]
    ?.content as AdaptiveCard) ?? null;

describe('the approval card through its life', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await startBot();
    await bot.say('status', LEE); // Lee has been seen in the channel: the card can name him
  });
  afterEach(async () => {
    await bot.close();
  });

  it('names the eligible approvers and offers a reason field to the approver', async () => {
    const { approvalId, card } = await requested(bot);
    expect(cardText(card)).toContain('Approvers\nLee Gu');
    const refreshed = await bot.click(VERBS.refreshApproval, { approvalId }, LEE);
    expect(JSON.stringify(refreshed.card)).toContain('"type":"Input.Text","id":"reason"');
  });

  it('after approval shows who approved when and keeps the approved steps, with no "Approval needed"', async () => {
    const { approvalId, planCardId } = await requested(bot);
    const before = cardText(await updatedTo(bot, planCardId));
    await bot.click(VERBS.approve, { approvalId, reason: 'ignored' }, LEE);
    await bot.app.services.coordinator.idle();
    const after = cardText(updatedTo(bot, planCardId));
    expect(after).toMatch(/^Approved: /);
    expect(after).not.toContain('Approval needed');
    expect(after).toContain('Approved by\nLee Gu, 2026-11-21 12:00 UTC');
    const stepLines = before.split('\n').filter((line) => /^\d+ · /.test(line));
    expect(stepLines.length).toBeGreaterThan(0);
    for (const line of stepLines) expect(after).toContain(line);
  });

  it('shows a Graph step on the plan and approval cards as the exact request and its Graph PowerShell cmdlet', async () => {
    const [posted] = await bot.send({ type: 'message', text: PLAN }, ALEX);
    const { card } = await requested(bot);
    const request =
      /^PATCH \/v1\.0\/servicePrincipals\/([0-9a-f-]{36}) \{"keyCredentials":\[\{"type":"AsymmetricX509Cert","usage":"Verify","key":\$authCertificate\.FileData\}\]\}$/m;
    for (const text of [cardText(posted?.attachments?.[0]?.content ?? null), cardText(card)]) {
      const id = text.match(request)?.[1];
      expect(id).toBeDefined();
      expect(text).toContain(
        `PATCH /v1.0/servicePrincipals/${id} {"keyCredentials":[{"type":"AsymmetricX509Cert","usage":"Verify","key":$authCertificate.FileData}]}\n` +
          `Update-MgServicePrincipal -ServicePrincipalId '${id}' -KeyCredentials @(@{Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $authCertificate.FileData})`,
      );
      expect(text).not.toContain('Invoke-MgGraphRequest');
    }
  });

  it('takes an optional reason on reject and shows it to everyone', async () => {
    const { approvalId, planCardId } = await requested(bot);
    await bot.click(VERBS.reject, { approvalId, reason: '  not during   business hours ' }, LEE);
    await bot.app.services.coordinator.idle();
    const text = cardText(updatedTo(bot, planCardId));
    expect(text).toMatch(/^Rejected: /);
    expect(text).toContain(
      'Rejected by Lee Gu at 2026-11-21 12:00 UTC: nothing was run. Reason: not during business hours',
    );
    expect(cardText((await bot.say('history', LEE))[0])).toContain('reason: not during business hours');
  });

  it('turns the card to Withdrawn for everyone on cancel <approval>', async () => {
    const { approvalId, planCardId } = await requested(bot);
    await bot.say(`cancel ${approvalId.slice(0, 8)}`, MEGAN);
    const text = cardText(updatedTo(bot, planCardId));
    expect(text).toMatch(/^Withdrawn: /);
    expect(text).not.toContain('Waiting for an approver');
  });

  it('turns the card to Expired for everyone when nobody decided in time', async () => {
    const { planCardId } = await requested(bot);
    bot.clock.advance(31 * 60_000);
    await expireApprovals(bot.app.services);
    const text = cardText(updatedTo(bot, planCardId));
    expect(text).toMatch(/^Expired: /);
    expect(text).toContain('nothing was run');
  });

  it('lists pending approvals in status, with who asked and who may approve', async () => {
    const { approvalId } = await requested(bot);
    const text = cardText((await bot.say('status', MEGAN))[0]);
    expect(text).toContain('Pending approvals');
    expect(text).toContain(
      `**${approvalId.slice(0, 8)}** approval pending · requested by Alex Wilber · approvers Lee Gu`,
    );
  });
});

describe('the check before a run', () => {
  it('shows in status while it re-reads the org, and cancel stops it before anything changes', async () => {
    let hold: Promise<void> | null = null;
    let release = () => {};
    const bot = await startBot({
      wrapEms: (ems) => ({
        run: async (command) => {
          await hold;
          return ems.run(command);
        },
        runReads: async (commands) => {
          await hold;
          return ems.runReads(commands);
        },
      }),
    });
    try {
      const { approvalId } = await requested(bot);
      hold = new Promise((resolve) => {
        release = resolve;
      });
      await bot.click(VERBS.approve, { approvalId }, LEE);
      const deadline = Date.now() + 5000;
      while (bot.app.services.coordinator.listActive()[0]?.phase !== 'checking' && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(cardText(bot.cards().at(-1))).toContain(`Type \`cancel ${approvalId.slice(0, 8)}\` to stop it.`);
      expect(cardText((await bot.say('status', MEGAN))[0])).toContain(
        `**${approvalId.slice(0, 8)}** checking the org before the run`,
      );
      expect(cardText((await bot.say(`cancel ${approvalId.slice(0, 8)}`, MEGAN))[0])).toContain(
        'has not started',
      );
      release();
      await bot.app.services.coordinator.idle();
      expect(await bot.countRows('runs')).toBe(0);
      expect((await bot.store.approvals.getApproval(approvalId))?.state).toBe('cancelled');
      expect(
        bot.adapter.updates
          .map((update) => cardText(update.attachments?.[0]?.content as AdaptiveCard))
          .join('\n'),
      ).toContain('Cancelled during the check: nothing was changed. By Megan Bowen.');
    } finally {
      release();
      await bot.close();
    }
  });
});

describe('deciding as a lab person from the chat', () => {
  it('approves as=lee in the lab, through the same rules as the card', async () => {
    const bot = await startBot({ labPeople: true });
    try {
      const { approvalId, planCardId } = await requested(bot);
      const id = approvalId.slice(0, 8);
      expect(cardText((await bot.say(`approve ${id} as=diego`))[0])).toContain('only approvers may approve');
      expect(cardText((await bot.say(`approve ${id} as=alex`))[0])).toContain('someone else must approve');
      expect(cardText((await bot.say(`approve ${id} as=lee`))[0])).toContain(
        'Approved: the run starts below.',
      );
      await bot.app.services.coordinator.idle();
      expect(cardText(updatedTo(bot, planCardId))).toContain('Approved by\nLee Gu');
      expect(await bot.countRows('runs')).toBe(1);
      expect(cardText((await bot.say('help'))[0])).toContain('approve ‹approval› as=‹name›');
    } finally {
      await bot.close();
    }
  });

  it('rejects as=lee with a reason in the lab', async () => {
    const bot = await startBot({ labPeople: true });
    try {
      const { approvalId } = await requested(bot);
      await bot.say(`reject ${approvalId.slice(0, 8)} wait for the change window as=lee`);
      expect((await bot.store.approvals.getApproval(approvalId))?.reason).toBe('wait for the change window');
    } finally {
      await bot.close();
    }
  });

  it('is refused outside the lab, and nothing is decided', async () => {
    const bot = await startBot();
    try {
      const { approvalId } = await requested(bot);
      const text = cardText((await bot.say(`approve ${approvalId.slice(0, 8)} as=lee`, DIEGO))[0]);
      expect(text).toContain('exists only in the lab');
      expect((await bot.store.approvals.getApproval(approvalId))?.state).toBe('pending');
      expect(cardText((await bot.say('help'))[0])).not.toContain('as=‹name›');
    } finally {
      await bot.close();
    }
  });
});

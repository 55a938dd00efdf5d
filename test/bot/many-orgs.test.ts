import { VERBS } from '../../src/bot/cards/elements';
import { LAB_ADMIN_CHANNEL_ID, LAB_FABRIKAM_CHANNEL_ID } from '../../src/playground/identities';
import { ALEX, type BotHarness, buttons, cardText, LEE, MEGAN, startBot, type Where } from './support';

const ISAIAH = 4; // approver at fabrikam.com only
const PLAN_FABRIKAM = 'plan teams domain=fabrikam.com dc=dc01.fabrikam.com';

/** Plans in `where` as Alex and requests approval; the approval id. */
async function requestIn(bot: BotHarness, where: Where, plan: string): Promise<string> {
  const [posted] = await bot.send({ type: 'message', text: plan }, ALEX, where);
  const request = buttons(posted?.attachments?.[0]?.content ?? null)['Request approval'];
  if (!posted?.id || !request)
    throw new Error(`no plan card: ${cardText(posted?.attachments?.[0]?.content)}`);
  const answer = await bot.click(request.verb, request.data, ALEX, posted.id, where);
  const approvalId = JSON.stringify(answer.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1];
  if (!approvalId) throw new Error(`no approval: ${answer.text}`);
  return approvalId;
}

describe('one bot serving two orgs, one admin channel each', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await startBot({ manyOrgs: {} });
  });
  afterEach(async () => {
    await bot.close();
  });

  it('acts on the org of the channel the command is typed in', async () => {
    const [contoso] = await bot.say('cert', ALEX, 'channel');
    const [fabrikam] = await bot.say('cert', ALEX, 'fabrikam');
    expect(cardText(contoso)).toContain('contoso.com');
    expect(cardText(contoso)).not.toContain('fabrikam.com');
    expect(cardText(fabrikam)).toContain('fabrikam.com');
    expect(cardText(fabrikam)).not.toContain('contoso.com');
  });

  it('takes operators from the org: Megan plans at both, Lee (approver at contoso only) cannot plan at fabrikam', async () => {
    const [lee] = await bot.say(PLAN_FABRIKAM, LEE, 'fabrikam');
    expect(cardText(lee)).toContain('only operators may do that');
    const [megan] = await bot.say(PLAN_FABRIKAM, MEGAN, 'fabrikam');
    expect(buttons(megan ?? null)['Request approval']).toBeDefined();
  });

  it("refuses an approver of one org on another org's approval, and runs it on that org alone once its own approver approves", async () => {
    const approvalId = await requestIn(bot, 'fabrikam', PLAN_FABRIKAM);
    const contosoBefore = JSON.stringify(bot.lab.state);
    const lee = await bot.click(VERBS.approve, { approvalId }, LEE, 'card-1', 'fabrikam');
    expect(lee.text).toMatch(/only approvers may approve|not one of the approvers/i);
    expect((await bot.store.approvals.getApproval(approvalId))?.state).toBe('pending');

    const isaiah = await bot.click(VERBS.approve, { approvalId }, ISAIAH, 'card-1', 'fabrikam');
    expect(isaiah.text).not.toMatch(/sorry|refused/i);
    for (const { services } of bot.app.orgs) await services.coordinator.idle();
    const [run] = await bot.store.runs.listRuns({ limit: 5 });
    expect(run?.state).toBe('succeeded');
    expect(run?.target).toMatch(/fabrikam\.json$/);
    expect(JSON.stringify(bot.lab.state)).toBe(contosoBefore);
    const [verified] = await bot.say('verify teams', ALEX, 'fabrikam');
    expect(cardText(verified)).toContain('fabrikam.com');
    // Each channel's status and history are its own org's.
    const runId = run?.id.slice(0, 8) ?? '';
    expect(cardText((await bot.say('status', ALEX, 'fabrikam'))[0])).toContain(runId);
    expect(cardText((await bot.say('status', ALEX, 'channel'))[0])).toContain('No runs yet');
    expect(cardText((await bot.say('history', ALEX, 'fabrikam'))[0])).toContain(`run ${runId}`);
    // The decisions are audited under fabrikam's target, so they show in its history only.
    const fabrikamTarget = bot.app.orgs[1]?.services.target ?? '';
    const decisions = (await bot.store.runs.listAudit(500, { target: fabrikamTarget })).filter((entry) =>
      entry.action.startsWith('approval.'),
    );
    expect(decisions.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['approval.requested', 'approval.approved']),
    );
    expect(decisions.find((entry) => entry.action === 'approval.approved')?.actor).toContain('Isaiah Langer');
    const contosoHistory = cardText((await bot.say('history', ALEX, 'channel'))[0]);
    expect(contosoHistory).not.toContain('Isaiah Langer');
    expect(contosoHistory).not.toContain(runId);
    // Ownership is per org: fabrikam's teams run owns fabrikam's objects, not contoso's of the same names.
    const [atFabrikam] = await bot.say(
      'plan sfb-online domain=fabrikam.com dc=dc01.fabrikam.com',
      ALEX,
      'fabrikam',
    );
    expect(cardText(atFabrikam)).toContain('Runbook teams set');
    const [atContoso] = await bot.say(
      'plan sfb-online domain=contoso.com dc=dc01.contoso.com',
      ALEX,
      'channel',
    );
    expect(cardText(atContoso)).not.toContain('Runbook teams set');
  });

  it("refuses an org's approval clicked from another org's channel", async () => {
    const approvalId = await requestIn(bot, 'fabrikam', PLAN_FABRIKAM);
    // Alex approves at both orgs, but the approval belongs to fabrikam's channel.
    const answer = await bot.click(VERBS.approve, { approvalId }, ALEX, 'card-1', 'channel');
    expect(answer.text).toMatch(/another conversation|requested it yourself|own request/i);
    expect((await bot.store.approvals.getApproval(approvalId))?.state).toBe('pending');
  });

  it("refuses a plan or verify of another org's domain in an org's channel, with one sentence", async () => {
    const plansBefore = await bot.countRows('bot_plans');
    const [plan] = await bot.say('plan teams domain=contoso.com dc=dc01.contoso.com', ALEX, 'fabrikam');
    expect(cardText(plan)).toContain(
      'This channel manages fabrikam.com, not contoso.com: use domain=fabrikam.com, or the admin channel of contoso.com.',
    );
    expect(await bot.countRows('bot_plans')).toBe(plansBefore);
    const [verify] = await bot.say('verify teams domain=fabrikam.com dc=dc01.fabrikam.com', ALEX, 'channel');
    expect(cardText(verify)).toContain('This channel manages contoso.com, not fabrikam.com');
  });

  it('in a personal chat asks which org when the caller belongs to both, and answers for the only one otherwise', async () => {
    const [megan] = await bot.say('status', MEGAN, 'personal');
    expect(cardText(megan)).toContain('several orgs (contoso.com, fabrikam.com)');
    expect(cardText(megan)).toContain('Nothing was run');
    const [help] = await bot.say('help', MEGAN, 'personal');
    expect(cardText(help)).toContain('plan');
    const [lee] = await bot.say('status', LEE, 'personal');
    expect(cardText(lee)).not.toContain('several orgs');
  });

  it('watches both orgs and posts each alert in its own admin channel', async () => {
    await bot.close();
    bot = await startBot({ manyOrgs: { fabrikamOptions: { certDays: 5 } } });
    // One installation in the team stores both admin channels' references.
    await bot.send({ type: 'installationUpdate', action: 'add' }, ALEX, 'general');
    const watch = bot.app.watch;
    if (!watch) throw new Error('no watch');
    const statuses = await Promise.all(['contoso', 'fabrikam'].map((id) => watch.status(id)));
    expect(statuses.map((status) => status.orgName)).toEqual(['contoso.com', 'fabrikam.com']);
    await watch.scan('contoso');
    await watch.scan('fabrikam');
    // Neither org has the Teams integration yet (drift at both); fabrikam's auth certificate also expires in 5 days.
    const alerts = bot.adapter.activeQueue
      .map((activity) => ({
        channel: activity.conversation?.id,
        text: cardText(activity.attachments?.[0]?.content),
      }))
      .filter((alert) => /contoso\.com|fabrikam\.com/.test(alert.text));
    expect(alerts.map((alert) => alert.channel).sort()).toEqual(
      [LAB_ADMIN_CHANNEL_ID, LAB_FABRIKAM_CHANNEL_ID].sort(),
    );
    const at = (channel: string) => alerts.find((alert) => alert.channel === channel)?.text ?? '';
    expect(at(LAB_FABRIKAM_CHANNEL_ID)).toContain('fabrikam.com');
    expect(at(LAB_FABRIKAM_CHANNEL_ID)).toMatch(/expires|expiry/i);
    expect(at(LAB_FABRIKAM_CHANNEL_ID)).not.toContain('contoso.com');
    expect(at(LAB_ADMIN_CHANNEL_ID)).toContain('contoso.com');
    expect(at(LAB_ADMIN_CHANNEL_ID)).not.toMatch(/expires in|fabrikam\.com/i);
    // An alert's buttons act in its own org's channel only.
    const [fabrikamAlert] = await bot.store.watch.activeAlerts('fabrikam');
    const elsewhere = await bot.click(
      'alert.acknowledge',
      { alertId: fabrikamAlert?.id },
      ALEX,
      'card-1',
      'channel',
    );
    expect(elsewhere.text).toContain(
      "That alert is about fabrikam.com: act on it in that org's admin channel.",
    );
    expect((await bot.store.watch.alert(fabrikamAlert?.id ?? ''))?.state).toBe('open');
  });
});

import { VERBS } from '../../src/bot/cards/elements';
import { type Frame, frameText, type PlaygroundWorld, startWorld } from './support';

const ALEX = 'user-id-0'; // operator (and approver): the signed-in user of the playground
const LEE = 'user-id-2'; // approver
const DIEGO = 'user-id-3'; // no role

describe('the bot in the Microsoft 365 Agents Playground', () => {
  let world: PlaygroundWorld;
  beforeAll(async () => {
    world = await startWorld();
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  const created = (text: string) => (frame: Frame) =>
    frame.action === 'createMessage' && frameText(frame).includes(text);

  it('answers help in the admin channel with a card', async () => {
    await world.say('help');
    const frame = await world.waitForFrame(created('Mention me in the admin channel'));
    expect(frameText(frame)).toContain('plan ‹runbook› domain=‹d› dc=‹fqdn›');
  });

  it('plans, refuses the requester’s own approval, runs on a second admin’s approval and verifies', async () => {
    const thread = await world.say('plan teams domain=contoso.com dc=dc01.contoso.com');
    // On a busy machine the plan may replace its "Checking…" card in place rather than arrive as a new message.
    const plan = await world.waitForFrame(
      (frame) =>
        ['createMessage', 'updateMessage'].includes(frame.action) &&
        frameText(frame).includes('Request approval'),
    );
    const planId = JSON.stringify(plan).match(/"planId":"([0-9a-f-]{36})"/)?.[1];
    const cardId = plan.message?.messageId ?? '';

    const requested = await world.invoke(VERBS.requestApproval, { planId }, ALEX, cardId, thread);
    expect(requested.status).toBe(200);
    expect(requested.body).toContain('Waiting for an approver');
    const approvalId = requested.body.match(/"approvalId":"([0-9a-f-]{36})"/)?.[1];
    // Everyone's copy of the plan card the bot posted (its message id recorded as it was sent) turns.
    const turned = await world.waitForFrame(
      (frame) => frame.action === 'updateMessage' && frameText(frame).includes('Waiting for an approver'),
    );
    expect(turned.message?.messageId).toBe(cardId);

    const own = await world.invoke(VERBS.approve, { approvalId }, ALEX, cardId, thread);
    expect(own.body).toContain(
      'You requested this change, so someone else must approve it. Nothing was run.',
    );
    const outsider = await world.invoke(VERBS.approve, { approvalId }, DIEGO, cardId, thread);
    expect(outsider.body).toContain('only approvers may approve or reject');
    const forged = await world.invoke(
      VERBS.approve,
      { approvalId: '00000000-1111-2222-3333-444444444444' },
      LEE,
      cardId,
      thread,
    );
    expect(forged.body).toContain('I have no such approval. Nothing was run.');
    const tampered = await world.invoke(
      VERBS.approve,
      { approvalId: `${approvalId}'; Remove-PartnerApplication` },
      LEE,
      cardId,
      thread,
    );
    expect(tampered.body).toContain('carries no valid approval id');

    const approved = await world.invoke(VERBS.approve, { approvalId }, LEE, cardId, thread);
    expect(approved.body).toContain('Approved by Lee Gu');
    const replay = await world.invoke(VERBS.approve, { approvalId }, LEE, cardId, thread);
    expect(replay.body).toContain('already approved by Lee Gu');

    const result = await world.waitForFrame(created('Result:'), 30_000);
    expect(frameText(result)).toContain('Succeeded and verified');
    const runCard = world.frames.filter((frame) => frameText(frame).startsWith('Run:')).at(-1);
    expect(frameText(runCard)).toContain('All steps done. 13/13 steps complete.');
    expect(frameText(runCard)).not.toMatch(/· (pending|running|failed)/);

    const org = world.onDisk().org;
    expect(org.mailUsers.map((user) => user.name)).toContain('TeamsScheduler');
    expect(
      org.partnerApplications.filter((app) =>
        ['TeamsScheduler', 'CloudVoicemail', 'SfBOnline'].includes(app.name),
      ),
    ).toHaveLength(3);
    expect(
      (await world.app.store.runs.listAudit(100)).filter((entry) => entry.action === 'run.started'),
    ).toHaveLength(1);
  }, 60_000);
});

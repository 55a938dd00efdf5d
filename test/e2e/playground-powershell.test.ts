/**
 * `npm run lab -- --executor powershell` in the Agents Playground: bot → relay hub → lab agent →
 * node-powershell → pwsh → HybridOps.Lab → the simulated org, from the plan to the result card.
 */
import { VERBS } from '../../src/bot/cards/elements';
import { repeatedMutations } from '../support/lab-org';
import { describeWithShell } from '../support/pwsh';
import { type Frame, frameText, type PlaygroundWorld, startWorld } from './support';

const ALEX = 'user-id-0'; // operator (and approver): the signed-in user of the playground
const LEE = 'user-id-2'; // approver

describeWithShell('the bot in the Agents Playground, its lab agent on real PowerShell', () => {
  let world: PlaygroundWorld;
  beforeAll(async () => {
    world = await startWorld({ executor: 'powershell' });
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  const created = (text: string) => (frame: Frame) =>
    frame.action === 'createMessage' && frameText(frame).includes(text);

  it('plans, runs on a second admin’s approval and verifies, sending each change through pwsh once', async () => {
    const thread = await world.say('plan teams domain=contoso.com dc=dc01.contoso.com');
    // Through pwsh on a busy machine the plan may take longer than the feedback delay: it then replaces the
    // "Checking…" card in place (an update) rather than arriving as a new message.
    const plan = await world.waitForFrame(
      (frame) =>
        ['createMessage', 'updateMessage'].includes(frame.action) &&
        frameText(frame).includes('Request approval'),
      60_000,
    );
    const planId = JSON.stringify(plan).match(/"planId":"([0-9a-f-]{36})"/)?.[1];
    const cardId = plan.message?.messageId ?? '';

    const requested = await world.invoke(VERBS.requestApproval, { planId }, ALEX, cardId, thread);
    expect(requested.body).toContain('Waiting for an approver');
    const approvalId = requested.body.match(/"approvalId":"([0-9a-f-]{36})"/)?.[1];
    const approved = await world.invoke(VERBS.approve, { approvalId }, LEE, cardId, thread);
    expect(approved.body).toContain('Approved by Lee Gu');

    const result = await world.waitForFrame(created('Result:'), 120_000);
    expect(frameText(result)).toContain('Succeeded and verified');
    const runCard = world.frames.filter((frame) => frameText(frame).startsWith('Run:')).at(-1);
    expect(frameText(runCard)).toContain('All steps done. 13/13 steps complete.');

    // Every change reached the org once, through the one shell the lab agent started with the lab.
    const log = world.onDisk().org.commandLog;
    const changes = log.filter((entry) => entry.mutating);
    expect(changes.map(({ cmdlet, ok }) => [cmdlet, ok])).toEqual([
      ['New-MailUser', true],
      ['Set-MailUser', true],
      ['New-ManagementRole', true],
      // The role starts with UserApplication's six entries; all but GetDelegate go.
      ...Array.from({ length: 5 }, () => ['Remove-ManagementRoleEntry', true]),
      ['New-ManagementRoleAssignment', true],
      ['New-PartnerApplication', true],
      ['New-PartnerApplication', true],
      ['New-PartnerApplication', true],
    ]);
    expect(repeatedMutations(log)).toEqual([]);
    expect(world.agent?.shellsStarted()).toBe(1);
  }, 180_000);
});

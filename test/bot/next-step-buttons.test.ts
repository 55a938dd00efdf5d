import type { AdaptiveCard } from '@microsoft/teams-ai';
import { VERBS } from '../../src/bot/cards/elements';
import { COMMAND_VERB, EXPORT_PS1_VERB } from '../../src/bot/cards/next-step-buttons';
import { ALEX, type BotHarness, buttons, cardText, DIEGO, LEE, MEGAN, startBot } from './support';

const TEAMS = 'plan teams domain=contoso.com dc=dc01.contoso.com';

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Clicks a next-step button as `who` and waits for the card the command posts. */
async function clickCommand(bot: BotHarness, card: AdaptiveCard | null, title: string, who: number) {
  const button = buttons(card)[title];
  expect(button?.verb).toBe(COMMAND_VERB);
  const before = bot.cards().length;
  const answer = await bot.click(COMMAND_VERB, button?.data ?? {}, who);
  expect(answer.text).toContain(`Working on: ${button?.data.command}`);
  await until(() => bot.cards().length > before);
  return bot.cards().at(-1) ?? null;
}

async function approveAndRun(bot: BotHarness, command = TEAMS): Promise<AdaptiveCard | null> {
  const [plan] = await bot.say(command, ALEX);
  const request = buttons(plan ?? null)['Request approval'];
  const answer = await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX, 'plan-card');
  const approvalId = JSON.stringify(answer.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
  await bot.click(VERBS.approve, { approvalId }, LEE, 'plan-card');
  await bot.app.services.coordinator.idle();
  return bot.cards().at(-1) ?? null;
}

describe('next steps as buttons', () => {
  let bot: BotHarness;
  afterEach(async () => {
    await bot.close();
  });

  it('offers "Plan teams" on a failing verify, and the click plans as typing would, with the same roles', async () => {
    bot = await startBot();
    const [verify] = await bot.say('verify teams domain=contoso.com dc=dc01.contoso.com', LEE);
    expect(buttons(verify ?? null)['Plan teams']?.data.command).toBe(TEAMS);
    const refused = await clickCommand(bot, verify ?? null, 'Plan teams', DIEGO);
    expect(cardText(refused)).toContain('only operators may do that');
    const planned = await clickCommand(bot, verify ?? null, 'Plan teams', MEGAN);
    expect(cardText(planned)).toMatch(/^Plan: Exchange Server ↔ Microsoft Teams/);
    expect(buttons(planned)['Request approval']).toBeDefined();
  });

  it('offers appaccount=no after New-MailUser -ApplicationAccount failed, and that plan drops the switch', async () => {
    bot = await startBot({ labOptions: { rejectsApplicationAccount: true } });
    const result = await approveAndRun(bot);
    expect(cardText(result)).toMatch(/^Result: .*\nFailed: /);
    expect(cardText(result)).toContain('plan again with appaccount=no');
    expect(cardText(result)).not.toContain('fix the cause above');
    const plan = await clickCommand(bot, result, 'Plan again with appaccount=no', MEGAN);
    const text = cardText(plan);
    expect(text).toContain('no (-ApplicationAccount omitted)');
    expect(text).toMatch(/New-MailUser -Name 'TeamsScheduler'/);
    expect(text).not.toMatch(/New-MailUser [^\n]* -ApplicationAccount\b/);
  });

  it('posts the whole plan as PowerShell from "Export as .ps1": EMS commands, Graph PowerShell, a comment per step', async () => {
    bot = await startBot();
    const [plan] = await bot.say(TEAMS, MEGAN);
    const button = buttons(plan ?? null)['Export as .ps1'];
    expect(button?.verb).toBe(EXPORT_PS1_VERB);
    const before = bot.cards().length;
    const answer = await bot.click(EXPORT_PS1_VERB, button?.data ?? {}, LEE);
    expect(answer.text).toContain('Posting the plan as PowerShell');
    await until(() => bot.cards().length > before);
    const script = cardText(bot.cards().at(-1));
    expect(script).toContain('# Step 2: Mail user TeamsScheduler');
    expect(script).toMatch(/^New-MailUser -Name 'TeamsScheduler'/m);
    expect(script).toMatch(/^\$authCertificate = Export-ExchangeCertificate/m);
    // A Graph step: the exact request as a comment, then the Microsoft Graph PowerShell cmdlet an admin would type.
    expect(script).toMatch(/^# PATCH \/v1\.0\/servicePrincipals\/[0-9a-f-]+ \{"keyCredentials":\[/m);
    expect(script).toMatch(
      /^Update-MgServicePrincipal -ServicePrincipalId '[0-9a-f-]+' -KeyCredentials @\(@\{Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = \$authCertificate\.FileData\}\)$/m,
    );
    expect(script).not.toContain('Invoke-MgGraphRequest');
    const refused = await bot.click(EXPORT_PS1_VERB, button?.data ?? {}, DIEGO);
    expect(refused.text).toContain('not on the list');
  });

  it('warns when a plan changes what another applied runbook set, and asks for acknowledge=yes', async () => {
    bot = await startBot();
    const result = await approveAndRun(bot);
    expect(cardText(result)).toContain('Succeeded');
    const sfb = 'plan sfb-online domain=contoso.com dc=dc01.contoso.com';
    const [plan] = await bot.say(sfb, MEGAN);
    const text = cardText(plan ?? null);
    expect(text).toMatch(
      /Runbook teams set PartnerApplication SfBOnline \(run [0-9a-f]{8}, .* UTC\); this step changes it/,
    );
    expect(text).toContain('plan again with acknowledge=yes');
    expect(buttons(plan ?? null)['Request approval']).toBeUndefined();
    // A request sent without the card (an invoke made by hand) is refused on the server as well.
    const planId = JSON.stringify(plan).match(/"planId":"([0-9a-f-]{36})"/)?.[1] ?? '';
    expect(planId).not.toBe('');
    const bypass = await bot.click(VERBS.requestApproval, { planId }, MEGAN, 'plan-card');
    expect(bypass.text).toContain(
      'This plan changes objects runbook teams set, and that was not acknowledged, so nothing was requested',
    );
    const [acknowledged] = await bot.say(`${sfb} acknowledge=yes`, MEGAN);
    expect(cardText(acknowledged ?? null)).toContain('Runbook teams set PartnerApplication SfBOnline');
    expect(buttons(acknowledged ?? null)['Request approval']).toBeDefined();
  });
});

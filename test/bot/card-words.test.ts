import { ALEX, type BotHarness, cardText, LAB_ORG, LEE, startBot } from './support';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const TOKEN = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({
  iss: '7557eb47-c689-4224-abcf-aef9bd7573df@contoso.com',
  aud: '00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@contoso.com',
  exp: Date.parse('2026-11-21T13:00:00Z') / 1000,
})}.c2lnbmF0dXJl`;

describe('words on cards', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot({ org: LAB_ORG });
  });
  afterAll(async () => {
    await bot.close();
  });
  const reply = async (text: string, who = ALEX) => cardText((await bot.say(text, who))[0]);

  it('lists each runbook with its Exchange versions once ("Exchange Server 2016", not "Exchange Exchange")', async () => {
    const text = await reply('runbooks', LEE);
    expect(text).toContain('(Exchange Server 2016, 2019, Subscription Edition)');
    expect(text).not.toContain('Exchange Exchange');
  });

  it('names the procedure, never its internal seed number, on a plan card', async () => {
    const text = await reply('plan teams domain=contoso.com dc=dc01.contoso.com');
    expect(text).toContain('Configure integration between Exchange Server and Microsoft Teams');
    expect(text).not.toMatch(/seed \d/i);
  });

  it('says "its one step" for a one-step plan with nothing to change, not "all 1 steps"', async () => {
    const text = await reply('plan remove-legacy-sfb domain=contoso.com dc=dc01.contoso.com acknowledge=yes');
    expect(text).not.toContain('all 1 steps');
    expect(text).toMatch(/Nothing to change: its one step is already in place\.|1 of 1 step will change/);
  });

  it.each([`Bearer ${TOKEN}`, `Authorization: Bearer ${TOKEN}`, TOKEN])(
    'inspects a pasted token (%#), with or without the Bearer scheme, and never echoes it',
    async (input) => {
      const text = await reply(`inspect ${input}`, LEE);
      expect(text).toContain('Token inspection');
      expect(text).toContain('Teams Calendar Scheduler');
      expect(text).not.toContain(TOKEN.slice(0, 20));
    },
  );

  it('refuses extra words after the token without quoting any of them', async () => {
    const text = await reply(`inspect Bearer ${TOKEN} ${TOKEN}`, LEE);
    expect(text).toContain('inspect takes one token');
    expect(text).not.toContain(TOKEN.slice(0, 20));
  });
});

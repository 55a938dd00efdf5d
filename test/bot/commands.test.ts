import { visible } from '../../src/bot/cards/elements';
import { MAX_MESSAGE_CHARS, normalizeText, parseMessage } from '../../src/bot/commands/parse';
import { help } from '../../src/bot/commands/read-handlers';
import { COMMANDS } from '../../src/bot/commands/table';
import { ALEX, type BotHarness, cardText, DIEGO, LEE, MEGAN, startBot } from './support';

describe('chat commands', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  const reply = async (text: string, who = ALEX, where: Parameters<BotHarness['say']>[2] = 'channel') => {
    const cards = await bot.say(text, who, where);
    expect(cards).toHaveLength(1);
    return cardText(cards[0]);
  };

  it('answers help with every command of the table and who may use it', async () => {
    const text = await reply('help');
    for (const spec of COMMANDS) expect(text).toContain(visible(spec.usage));
    expect(text).toContain('admin channel only');
  });

  it('answers help with one card built once, the lab commands only where there are lab people', async () => {
    const parsed = parseMessage('help', COMMANDS);
    if (!parsed.ok) throw new Error(parsed.problem);
    const input = (labPeople?: []) => ({
      command: parsed.command,
      services: labPeople ? { labPeople } : {},
      actor: 'Alex',
      actorName: 'Alex',
      conversationId: 'c',
    });
    const first = await help(input());
    expect(await help(input())).toBe(first);
    const inLab = await help(input([]));
    expect(inLab).not.toBe(first);
    expect(cardText(inLab)).toContain(visible('approve <approval> as=<name>'));
    expect(cardText(first)).not.toContain(visible('approve <approval> as=<name>'));
    expect(await help(input([]))).toBe(inLab);
  });

  it('lists the runbooks', async () => {
    const text = await reply('runbooks');
    expect(text).toContain('teams');
    expect(text).toContain('remove-legacy-sfb');
    expect(text).toContain('needs acknowledge=yes');
  });

  it('answers an unknown command with the closest valid usage', async () => {
    const text = await reply('plna teams');
    expect(text).toContain('"plna" is not a command. Did you mean plan?');
    expect(text).toContain('Usage: plan ‹runbook› domain=‹d› dc=‹fqdn›');
  });

  it('answers a plan without a runbook with its usage', async () => {
    expect(await reply('plan')).toContain('plan needs ‹runbook›.');
  });

  it('answers an option the command does not take with its usage', async () => {
    expect(await reply('plan teams domain=contoso.com colour=red')).toContain(
      'plan takes no option "colour".',
    );
  });

  it('answers invalid inputs with the runbook rule and the usage', async () => {
    const text = await reply('plan teams domain=not_a_domain dc=dc01.contoso.com');
    expect(text).toContain('Invalid domain');
    expect(text).toContain('Usage: plan');
  });

  it.each([
    ['appaccount=maybe', 'appaccount= takes yes or no, not "maybe".'],
    ['appaccount=0', 'appaccount= takes yes or no, not "0".'],
    ['acknowledge=sure', 'acknowledge= takes yes or no, not "sure".'],
  ])('refuses %s in one sentence and plans nothing', async (option, sentence) => {
    const plans = await bot.countRows('bot_plans');
    const text = await reply(`plan teams domain=contoso.com dc=dc01.contoso.com ${option}`, MEGAN);
    expect(text).toContain(sentence);
    expect(text).toContain('Usage: plan');
    expect(await bot.countRows('bot_plans')).toBe(plans);
  });

  it.each(['no', 'N', 'false'])('reads appaccount=%s as no', async (word) => {
    const text = await reply(`plan teams domain=contoso.com dc=dc01.contoso.com appaccount=${word}`, MEGAN);
    expect(text).toContain('no (-ApplicationAccount omitted)');
  });

  it('answers an unknown runbook with the list of runbooks', async () => {
    expect(await reply('plan tems domain=contoso.com dc=dc01.contoso.com')).toContain(
      'Unknown runbook "tems"',
    );
  });

  it('plans a runbook with each step, its change and the exact PowerShell, and a Request approval button', async () => {
    const [card] = await bot.say('plan teams domain=contoso.com dc=dc01.contoso.com', MEGAN);
    const text = cardText(card);
    expect(text).toContain('Plan: Exchange Server ↔ Microsoft Teams');
    expect(text).toContain("New-MailUser -Name 'TeamsScheduler'");
    expect(text).toContain('Request approval');
    const hidden = JSON.stringify(card).match(/"isVisible":false/g) ?? [];
    expect(hidden.length).toBeGreaterThan(5);
  });

  it('shows a runbook caution on the plan and offers no approval when nothing would change', async () => {
    const text = await reply('plan remove-legacy-sfb domain=contoso.com dc=dc01.contoso.com', MEGAN);
    expect(text).toContain(
      "Caution: Don't delete the legacy Skype for Business Online Partner Application yet.",
    );
    expect(text).not.toContain('Request approval');
  });

  it('reports no runs, then the audit log, without changing anything', async () => {
    expect(await reply('status')).toContain('No runs yet');
    expect(await reply('history')).toMatch(/Audit log/);
  });

  it('verifies a runbook read-only and shows which checks fail', async () => {
    const before = bot.lab.state.org.commandLog.filter(
      (entry) => !/^(Get|Test|Export)-/.test(entry.cmdlet),
    ).length;
    const text = await reply('verify teams domain=contoso.com dc=dc01.contoso.com', LEE);
    expect(text).toMatch(/\d+\/\d+ checks pass/);
    expect(text).toContain('✗ Mail user TeamsScheduler');
    expect(text).toContain('Plan the fix: plan teams');
    expect(
      bot.lab.state.org.commandLog.filter((entry) => !/^(Get|Test|Export)-/.test(entry.cmdlet)).length,
    ).toBe(before);
  });

  it.each(['agents', 'cert', 'inspect eyJhbGciOi', 'watch status'])(
    'answers %s with a clear card when its part is not installed',
    async (command) => {
      expect(await reply(command)).toContain('not available yet');
    },
  );

  it('answers cancel of an unknown run without doing anything', async () => {
    expect(await reply('cancel 12345678')).toContain('No run with id 12345678 is running now');
  });

  it('answers help and read-only commands in personal chat', async () => {
    expect(await reply('help', DIEGO, 'personal')).toContain('hybridops');
    expect(await reply('runbooks', LEE, 'personal')).toContain('teams');
    expect(await reply('status', MEGAN, 'personal')).toContain('Runs');
  });

  it('refuses plan in personal chat because changes belong in the admin channel', async () => {
    expect(await reply('plan teams domain=contoso.com dc=dc01.contoso.com', MEGAN, 'personal')).toContain(
      'only works in the admin channel',
    );
  });

  it('answers a 50,000-character message with one short refusal that does not repeat it', async () => {
    for (const flood of ['<'.repeat(50_000), `plan ${'<a'.repeat(25_000)}`]) {
      const text = await reply(flood);
      expect(text).toContain('too long to be a command');
      expect(text.length).toBeLessThan(300);
      expect(text).not.toContain('<<');
      expect(text).not.toContain('<a<a');
    }
  });

  it('quotes at most 40 characters of a word it does not know', async () => {
    const text = await reply(`x${'y'.repeat(5_000)}`);
    expect(text).toContain(`"x${'y'.repeat(39)}…" is not a command`);
    expect(text).not.toContain('y'.repeat(41));
  });
});

describe('reading a message', () => {
  /** The fastest of five timings of `work`, in milliseconds. */
  const fastest = (work: () => void) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      work();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };

  it.each([
    ['angle brackets', '<'],
    ['unclosed tags', '<a'],
    ['unclosed mentions', '<at>x'],
    ['spaces and brackets', ' <'],
  ])('takes time in proportion to its length, even full of %s', (_case, unit) => {
    // One message at the length limit against twenty messages of a twentieth of it: the same characters in all.
    const long = unit.repeat(Math.floor(MAX_MESSAGE_CHARS / unit.length));
    const short = unit.repeat(Math.floor(MAX_MESSAGE_CHARS / 20 / unit.length));
    const oneLong = fastest(() => normalizeText(long));
    const twentyShort = fastest(() => {
      for (let i = 0; i < 20; i++) normalizeText(short);
    });
    expect(oneLong / twentyShort).toBeLessThan(5);
  });
});

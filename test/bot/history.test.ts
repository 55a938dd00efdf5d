import { LAB_PEOPLE } from '../../src/playground/identities';
import { ALEX, type BotHarness, buttons, cardText, LEE, startBot } from './support';

const PLAN = 'plan teams domain=contoso.com dc=dc01.contoso.com';

describe('history in chat', () => {
  let bot: BotHarness;
  let runId = '';
  beforeAll(async () => {
    bot = await startBot();
    const [plan] = await bot.say(PLAN);
    const request = buttons(plan ?? null)['Request approval'];
    if (!request) throw new Error('no Request approval button');
    const asked = await bot.click(request.verb, request.data, ALEX);
    const approvalId = JSON.stringify(asked.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
    await bot.click('hybridops.approval.approve', { approvalId }, LEE);
    await bot.app.services.coordinator.idle();
    runId = (await bot.store.runs.listRuns({ limit: 1 }))[0]?.id ?? '';
  });
  afterAll(async () => {
    await bot.close();
  });

  it('names each actor, the action, the exact command, its result and duration — no raw object ids', async () => {
    const pages = [];
    for (let page = 1; page < 10; page++) pages.push(...(await bot.say(`history page=${page}`, LEE)));
    const card = pages[0];
    const text = pages.map(cardText).join('\n');
    expect(text).toContain('**Approved** · Lee Gu');
    expect(text).toContain('**Requested approval** · Alex Wilber');
    expect(text).toMatch(/\*\*Ran\*\* · Alex Wilber/);
    expect(text).toMatch(/Result: succeeded[^\n]* · took \d/);
    // The exact command is shown as code, as it ran.
    expect(JSON.stringify(card)).toMatch(/"type":"TextRun","text":"(New|Set|Add)-\w+ -Name/);
    expect(JSON.stringify(card)).toMatch(/"type":"TextRun","text":"PATCH \/v1.0\/servicePrincipals\//);
    for (const person of LAB_PEOPLE) expect(text).not.toContain(person.aadObjectId);
  });

  it('filters by run with history <run>', async () => {
    const [card] = await bot.say(`history ${runId.slice(0, 8)}`, LEE);
    const text = cardText(card);
    expect(text).toContain(`Audit log of run ${runId.slice(0, 8)}`);
    expect(text).not.toContain('Requested approval');
    const runs = [...text.matchAll(/run ([0-9a-f]{8})/g)].map((match) => match[1]);
    expect(new Set(runs)).toEqual(new Set([runId.slice(0, 8)]));
  });

  it('pages: More shows the next page to the clicker, the same as history page=2', async () => {
    const [first] = await bot.say('history', LEE);
    const more = buttons(first ?? null).More;
    expect(more?.data).toEqual({ page: '2' });
    const clicked = await bot.click(more?.verb ?? '', more?.data, LEE);
    const [typed] = await bot.say('history page=2', LEE);
    expect(clicked.text).toContain('page 2, latest first');
    expect(clicked.text).toBe(cardText(typed));
    expect(clicked.text).not.toBe(cardText(first));
  });

  it('answers a malformed run or page with a sentence', async () => {
    const text = cardText((await bot.say('history page=zero', LEE))[0]);
    expect(text).toContain('history needs a run id and a page number');
  });
});

import type { AdaptiveCard } from '@microsoft/teams-ai';
import { renderAlertCard } from '../../src/bot/alerts/alert-card';
import { approvalCard } from '../../src/bot/cards/approval-card';
import { errorCard, infoCard, refusalCard, usageCard } from '../../src/bot/cards/message-cards';
import { resultCard } from '../../src/bot/cards/result-card';
import { initialRunView, runCard } from '../../src/bot/cards/run-card';
import { ALEX, type BotHarness, buttons, cardText, LAB_ORG, LEE, startBot, T0 } from './support';

const HOSTILE = ['<script>alert(1)</script>', 'a@<b>.com', 'plan <runbook>'];

/** Every text the client renders as markdown (TextBlock text, fact titles and values), with the path to it. */
function renderedTexts(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'TextBlock' && typeof record.text === 'string') found.push(record.text);
      if (record.type === 'FactSet')
        for (const fact of record.facts as { title: string; value: string }[])
          found.push(fact.title, fact.value);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** The texts the client would mangle: an angle bracket outside a `code span`. */
function stripped(card: AdaptiveCard | null | undefined): string[] {
  return renderedTexts(card).filter((value) => /[<>]/.test(value.replace(/`[^`]*`/g, '')));
}

const jwt = (payload: Record<string, unknown>) =>
  [{ alg: 'RS256', typ: 'JWT' }, payload]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .concat('c2ln')
    .join('.');

describe('text on every card survives the Teams client', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot({ org: LAB_ORG });
    await bot.send({ type: 'installationUpdate', action: 'add' }, ALEX, 'general');
  });
  afterAll(async () => {
    await bot.close();
  });

  it('shows the help usage with its placeholders', async () => {
    const [help] = await bot.say('help');
    expect(stripped(help)).toEqual([]);
    expect(cardText(help)).toContain('plan ‹runbook› domain=‹d› dc=‹fqdn›');
  });

  it('shows a token inspector’s hostile audience and a malformed address as typed, minus the tags', async () => {
    const token = jwt({
      aud: HOSTILE[0],
      iss: 'https://sts.windows.net/x/',
      upn: HOSTILE[1],
      exp: 2_000_000_000,
    });
    const [inspection] = await bot.say(`inspect ${token}`);
    expect(stripped(inspection)).toEqual([]);
    expect(cardText(inspection)).toContain('‹script›alert(1)‹/script›');
  });

  it('echoes hostile input on usage and refusal cards without losing it', async () => {
    for (const typed of [
      'plan teams domain=a@<b>.com dc=dc01.contoso.com',
      'status <script>',
      'plna <runbook>',
      'inspect <script>alert(1)</script>',
      'history <b>',
    ]) {
      const [answer] = await bot.say(typed);
      expect(stripped(answer)).toEqual([]);
    }
  });

  it('renders every card the bot sends in a whole flow, plan to history, without a stripped text', async () => {
    const [plan] = await bot.say('plan teams domain=contoso.com dc=dc01.contoso.com');
    const request = buttons(plan ?? null)['Request approval'];
    if (!request) throw new Error('no Request approval button');
    const asked = await bot.click(request.verb, request.data, ALEX);
    const approvalId = JSON.stringify(asked.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
    await bot.click('hybridops.approval.approve', { approvalId }, LEE);
    await bot.app.services.coordinator.idle();
    for (const command of ['status', 'history', 'verify', 'cert', 'runbooks', 'agents', 'watch status'])
      await bot.say(command);
    for (const sent of bot.cards()) expect(stripped(sent)).toEqual([]);
  });

  it('renders each card builder fed hostile text without a stripped text', () => {
    const [tag, address, usage] = HOSTILE as [string, string, string];
    const plan = {
      runbook: 'teams',
      title: tag,
      hash: 'abcdef0123456789',
      source: address,
      caution: tag,
      notes: [address],
      steps: [
        {
          id: 's1',
          title: tag,
          change: 'update',
          detail: address,
          command: usage,
          warnings: [tag],
          operations: [],
          commands: [],
        },
      ],
    };
    const approval = {
      id: '00000000-0000-4000-8000-000000000001',
      planId: '00000000-0000-4000-8000-000000000002',
      conversationId: 'c',
      requester: 'r',
      requesterName: tag,
      planHash: 'abcdef0123456789',
      approvers: ['a'],
      approverNames: [address],
      createdAt: T0.toISOString(),
      expiresAt: new Date(T0.getTime() + 60_000).toISOString(),
      messageId: null,
      state: 'rejected',
      decidedBy: 'a',
      decidedByName: address,
      decidedAt: T0.toISOString(),
      reason: tag,
      runId: null,
    };
    const cards: AdaptiveCard[] = [
      infoCard(tag, [address, usage], [[tag, address]]),
      refusalCard(tag),
      errorCard(tag, address, usage),
      usageCard(tag, usage, address),
      resultCard({
        title: tag,
        runbook: 'teams',
        inputs: { domain: 'contoso.com', dc: 'dc01.contoso.com' } as never,
        runId: 'r',
        state: 'failed',
        error: tag,
        checks: [{ id: 'c', title: tag, ok: false, detail: address }] as never,
        steps: [],
        cancelledBy: address,
      }),
      runCard({
        ...initialRunView(tag, [{ id: 's', title: address }], tag, address),
        error: tag,
        command: usage,
      }),
      approvalCard(approval as never, plan as never, { view: 'readOnly', now: T0 }),
      renderAlertCard({
        alertId: 'a',
        orgId: 'o',
        orgName: address,
        state: 'open',
        severity: 'warning',
        title: tag,
        createdAt: T0.toISOString(),
        drift: [],
        expiries: [],
        note: address,
        actions: { acknowledge: null, snooze: null, planFix: null },
      }),
    ];
    for (const built of cards) expect(stripped(built)).toEqual([]);
  });
});

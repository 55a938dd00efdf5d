import type { AlertCard } from '../../src/alerts/types';
import { ALERT_VERBS } from '../../src/alerts/types';
import { ADMIN_CHANNEL } from '../../src/bot/admin-channel';
import { deliver, isBotRemoved, retryAfterMs } from '../../src/bot/delivery';
import { CodedError } from '../../src/core/errors';
import { LAB_ADMIN_CHANNEL_ID, LAB_BOT } from '../../src/playground/identities';
import { ALEX, cardText, startBot } from './support';

/** An alert as the watch raises it: the auth certificate is close to expiry. */
const EXPIRY_ALERT: AlertCard = {
  alertId: 'alert-1',
  orgId: 'contoso',
  orgName: 'contoso.com',
  state: 'open',
  severity: 'warning',
  title: 'contoso.com: Auth certificate expires in 20 days',
  createdAt: '2026-11-21T12:00:00.000Z',
  drift: [],
  expiries: [
    {
      itemId: 'auth-cert',
      title: 'Auth certificate expires in 20 days',
      at: '2026-12-11T12:00:00Z',
      daysLeft: 20,
      threshold: 30,
      where: ['Exchange'],
    },
  ],
  note: null,
  actions: {
    acknowledge: { verb: ALERT_VERBS.acknowledge, data: { alertId: 'alert-1' } },
    snooze: { verb: ALERT_VERBS.snooze, data: { alertId: 'alert-1', choicesDays: [1, 7] } },
    planFix: null,
  },
};

/** An error shaped like botframework-connector's RestError. */
function restError(statusCode: number, message = 'failed', headers: Record<string, string> = {}) {
  return Object.assign(new Error(message), {
    statusCode,
    response: { headers: { get: (name: string) => headers[name] } },
  });
}

describe('proactive posts to the admin channel', () => {
  it('stores the admin channel reference on installation and posts alerts there after a restart', async () => {
    const first = await startBot();
    await first.send({ type: 'installationUpdate', action: 'add' }, ALEX, 'general');
    const stored = await first.app.store.conversations.getReference(ADMIN_CHANNEL);
    expect(stored?.reference.conversation?.id).toBe(LAB_ADMIN_CHANNEL_ID);
    // A new process on the same database: the reference survived.
    await first.app.close();
    await first.lab.close();
    await first.store.close();
    const second = await startBot({ databaseUrl: first.databaseUrl, dir: first.dir });
    const { messageId } = await second.app.notifier.postAlert(LAB_ADMIN_CHANNEL_ID, EXPIRY_ALERT);
    expect(messageId).toBeTruthy();
    const posted = second.adapter.activeQueue.at(-1);
    expect(posted?.conversation?.id).toBe(LAB_ADMIN_CHANNEL_ID);
    expect(cardText(posted?.attachments?.[0]?.content)).toContain('Auth certificate expires in 20 days');
    await second.close();
  });

  it('stores the reference when the bot is added to the admin team, and greets there', async () => {
    const bot = await startBot();
    const replies = await bot.send(
      { type: 'conversationUpdate', membersAdded: [{ id: LAB_BOT.id, name: LAB_BOT.name }] },
      ALEX,
      'general',
    );
    expect(cardText(replies[0]?.attachments?.[0]?.content)).toContain('hybridops is ready');
    expect((await bot.app.store.conversations.getReference(ADMIN_CHANNEL))?.removedAt).toBeNull();
    await bot.close();
  });

  it('ignores an installation in another team', async () => {
    const bot = await startBot();
    await bot.send({ type: 'installationUpdate', action: 'add' }, ALEX, 'otherTeam');
    expect(await bot.app.store.conversations.getReference(ADMIN_CHANNEL)).toBeNull();
    await expect(bot.app.notifier.postAlert(LAB_ADMIN_CHANNEL_ID, EXPIRY_ALERT)).rejects.toThrow(
      'not installed in the admin team',
    );
    await bot.close();
  });

  it('stops posting once the bot is removed from the admin team', async () => {
    const bot = await startBot();
    await bot.send({ type: 'installationUpdate', action: 'add' }, ALEX, 'general');
    await bot.send({ type: 'installationUpdate', action: 'remove' }, ALEX, 'general');
    await expect(bot.app.notifier.postAlert(LAB_ADMIN_CHANNEL_ID, EXPIRY_ALERT)).rejects.toThrow(
      'not installed in the admin team',
    );
    await bot.close();
  });

  it('refuses to post alerts anywhere but the admin channel', async () => {
    const bot = await startBot();
    await bot.send({ type: 'installationUpdate', action: 'add' }, ALEX, 'general');
    await expect(bot.app.notifier.postAlert('19:elsewhere@thread.tacv2', EXPIRY_ALERT)).rejects.toThrow(
      'admin channel only',
    );
    await bot.close();
  });

  it('marks the channel removed when Teams answers that the bot is not in the conversation', async () => {
    const bot = await startBot();
    await bot.send({ type: 'installationUpdate', action: 'add' }, ALEX, 'general');
    bot.adapter.continueConversationAsync = async () => {
      throw restError(403, 'BotNotInConversationRoster: The bot is not part of the conversation roster.');
    };
    await expect(bot.app.notifier.postAlert(LAB_ADMIN_CHANNEL_ID, EXPIRY_ALERT)).rejects.toBeInstanceOf(
      CodedError,
    );
    expect((await bot.app.store.conversations.getReference(ADMIN_CHANNEL))?.removedAt).not.toBeNull();
    await bot.close();
  });
});

describe('delivery to Teams', () => {
  const sleeps: number[] = [];
  // Fake time: each wait is recorded and passed at once (the retry timer exists when onRetry is told).
  const options = {
    onRetry: (ms: number) => {
      sleeps.push(ms);
      jest.advanceTimersByTime(ms);
    },
    baseDelayMs: 100,
  };
  beforeEach(() => {
    sleeps.length = 0;
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    let calls = 0;
    const result = await deliver(async () => {
      calls++;
      if (calls === 1) throw restError(429, 'Too Many Requests', { 'retry-after': '2' });
      return 'sent';
    }, options);
    expect(result).toBe('sent');
    expect(sleeps).toEqual([2000]);
  });

  it.each([412, 502, 504])('retries %i with growing backoff', async (status) => {
    let calls = 0;
    await deliver(async () => {
      calls++;
      if (calls < 3) throw restError(status);
      return 'sent';
    }, options);
    expect(calls).toBe(3);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0);
  });

  it('gives up after the last attempt with the connector error', async () => {
    await expect(
      deliver(async () => Promise.reject(restError(502, 'Bad Gateway')), { ...options, maxAttempts: 3 }),
    ).rejects.toThrow('Bad Gateway');
    expect(sleeps).toHaveLength(2);
  });

  it('does not retry a 400', async () => {
    await expect(deliver(async () => Promise.reject(restError(400, 'Bad Request')), options)).rejects.toThrow(
      'Bad Request',
    );
    expect(sleeps).toHaveLength(0);
  });

  it('turns "bot not in the conversation" into BOT_REMOVED', async () => {
    const removed = restError(403, 'BotNotInConversationRoster');
    expect(isBotRemoved(removed)).toBe(true);
    await expect(deliver(async () => Promise.reject(removed), options)).rejects.toBeInstanceOf(CodedError);
    await expect(deliver(async () => Promise.reject(removed), options)).rejects.toMatchObject({
      code: 'BOT_REMOVED',
    });
  });

  it('reads Retry-After as an HTTP date', () => {
    const at = new Date(Date.now() + 5000).toUTCString();
    expect(retryAfterMs(restError(429, 'x', { 'retry-after': at }))).toBeGreaterThan(3000);
  });
});

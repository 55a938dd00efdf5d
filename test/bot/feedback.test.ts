import type { AdaptiveCard } from '@microsoft/teams-ai';
import { buttons, cardText, LEE, startBot } from './support';

const PLAN = 'plan teams domain=contoso.com dc=dc01.contoso.com';
const contentOf = (activity: { attachments?: { content?: unknown }[] } | undefined) =>
  activity?.attachments?.[0]?.content as AdaptiveCard | undefined;

describe('feedback within a second', () => {
  it('shows typing at once for every command, before its answer', async () => {
    const bot = await startBot();
    try {
      for (const command of ['help', 'status', 'plna']) {
        const before = bot.adapter.activeQueue.length;
        await bot.say(command);
        const sent = bot.adapter.activeQueue.slice(before).map((activity) => activity.type);
        expect(sent[0]).toBe('typing');
        expect(sent).toContain('message');
      }
    } finally {
      await bot.close();
    }
  });

  it('posts "Checking contoso.com…" while a slow plan reads the org, then turns it into the plan card', async () => {
    let release = () => {};
    let hold: Promise<void> | null = null;
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
      hold = new Promise((resolve) => {
        release = resolve;
      });
      const before = bot.adapter.activeQueue.length;
      const answered = bot.send({ type: 'message', text: PLAN });
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const checking = bot.adapter.activeQueue.slice(before).find((activity) => activity.attachments);
      expect(cardText(contentOf(checking))).toContain('Checking contoso.com…');
      release();
      await answered;
      const replaced = bot.adapter.updates.filter((update) => update.id === checking?.id).at(-1);
      const plan = contentOf(replaced);
      expect(cardText(plan)).toMatch(/^Plan: /);
      // The replaced message is the plan card: requesting approval turns that message into the approval card.
      const request = buttons(plan ?? null)['Request approval'];
      await bot.click(request?.verb ?? '', request?.data, 0, 'elsewhere');
      expect(cardText(contentOf(bot.adapter.updates.at(-1)))).toContain('Approval needed');
      expect(bot.adapter.updates.at(-1)?.id).toBe(checking?.id);
      expect(cardText((await bot.say('status', LEE))[0])).toContain('Pending approvals');
    } finally {
      release();
      await bot.close();
    }
  });
});

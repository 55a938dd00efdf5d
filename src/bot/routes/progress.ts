/**
 * Feedback within a second: a typing indicator for every command, and for a command still working after a
 * moment (a plan, verify or cert on a slow org takes 13–15 s) a "Checking contoso.com…" card, updated in place
 * with the time so far, and at the end with the answer itself.
 */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { card, heading } from '../cards/elements';
import { cardActivity, type Poster } from '../poster';

/** Where a command's answers go: the turn that asked, or the conversation once a button's click was answered. */
export interface AnswerSurface {
  /** Posts a card; resolves with its message id where the channel gives one. */
  post(card: AdaptiveCard): Promise<string | null>;
  /** Replaces a posted card in place. */
  update(messageId: string, card: AdaptiveCard): Promise<void>;
  /** Shows the typing indicator, where there is a turn to show it in. */
  typing(): Promise<void>;
}

/** Answers within the turn that asked. */
export function turnSurface(context: TurnContext): AnswerSurface {
  return {
    post: async (answer) => (await context.sendActivity(cardActivity(answer)))?.id ?? null,
    update: async (id, answer) => {
      await context.updateActivity({ ...cardActivity(answer), id });
    },
    typing: () => showTyping(context),
  };
}

/** Answers in the conversation after the turn that asked has ended (a button's invoke is answered at once). */
export function conversationSurface(poster: Poster, reference: Parameters<Poster['post']>[0]): AnswerSurface {
  return {
    post: async (answer) => (await poster.post(reference, answer)) || null,
    update: (id, answer) => poster.update(reference, id, answer),
    typing: async () => {},
  };
}

/** The commands that read the org and may take seconds. */
export const SLOW_COMMANDS: ReadonlySet<string> = new Set(['plan', 'verify', 'cert']);

export interface ProgressTiming {
  /** How long a command may work before the "Checking…" card is posted. */
  readonly afterMs: number;
  /** How often that card is updated with the time so far. */
  readonly everyMs: number;
}

export const PROGRESS_TIMING: ProgressTiming = { afterMs: 1500, everyMs: 5000 };

/** The "Checking …" card after `seconds`. */
export function checkingCard(subject: string, what: string, seconds: number): AdaptiveCard {
  const so = seconds > 0 ? ` (${seconds} s so far)` : '';
  return card([...heading(`Checking ${subject}…`, `${what}${so}. The answer replaces this card.`, 'accent')]);
}

/**
 * Sends the typing indicator; a client that cannot show it loses nothing. A turn whose replies come back in
 * the HTTP answer (`expectReplies`) gets none: it would arrive together with the answer.
 */
export async function showTyping(context: TurnContext): Promise<void> {
  if (context.activity.deliveryMode === 'expectReplies') return;
  await context.sendActivity({ type: ActivityTypes.Typing });
}

/**
 * Answers with `work`'s card; when it takes longer than `timing.afterMs`, a "Checking …" card shows meanwhile
 * and is replaced by the answer in place.
 */
export async function answerWithProgress(
  surface: AnswerSurface,
  subject: string,
  what: string,
  work: () => Promise<AdaptiveCard>,
  timing: ProgressTiming = PROGRESS_TIMING,
): Promise<void> {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const checking = () => checkingCard(subject, what, seconds());
  // The checking card's id once posted; every post and update goes through this one chain, in order, so no
  // "Checking…" update can land after the answer. A card that fails to post or update only costs the feedback.
  let messageId: string | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  const then = (step: () => Promise<unknown>) => {
    chain = chain.then(step).catch(() => undefined);
  };
  let ticker: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    then(async () => {
      messageId = await surface.post(checking());
    });
    ticker = setInterval(() => {
      then(async () => {
        if (messageId) await surface.update(messageId, checking());
      });
    }, timing.everyMs);
  }, timing.afterMs);
  try {
    const answer = await work();
    clearTimeout(first);
    clearInterval(ticker);
    await chain;
    if (messageId) await surface.update(messageId, answer);
    else await surface.post(answer);
  } finally {
    clearTimeout(first);
    clearInterval(ticker);
  }
}

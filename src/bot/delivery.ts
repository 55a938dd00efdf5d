/** Sending to Teams with retries (cockatiel): 429 waits for Retry-After, 412/5xx back off, a removed bot stops. */
import {
  DelegateBackoff,
  ExponentialBackoff,
  halfJitterGenerator,
  handleWhen,
  type IBackoff,
  type IRetryBackoffContext,
  retry,
} from 'cockatiel';
import { CodedError } from '../core/errors';
import { parseRetryAfter } from '../core/retry-after';

export interface DeliveryOptions {
  /** Tries in all, the first included (default 5). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Told each wait before a retry, in milliseconds (logs; tests advance fake timers by it). */
  readonly onRetry?: (delayMs: number) => void;
}

const RETRIABLE = new Set([412, 429, 500, 502, 503, 504]);

/** The HTTP status of a connector error (botframework-connector's RestError), if it has one. */
export function statusOf(error: unknown): number | null {
  const candidate = error as { statusCode?: unknown; status?: unknown } | null;
  const status = candidate?.statusCode ?? candidate?.status;
  return typeof status === 'number' ? status : null;
}

/** Seconds or an HTTP date from a Retry-After header, in milliseconds. */
export function retryAfterMs(error: unknown, now: Date = new Date()): number | null {
  const response = (
    error as {
      response?: { headers?: { get?: (name: string) => string | undefined } | Record<string, string> };
    }
  )?.response;
  const headers = response?.headers as
    | { get?: (name: string) => string | undefined }
    | Record<string, string>
    | undefined;
  const raw =
    typeof headers?.get === 'function'
      ? headers.get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  const seconds = parseRetryAfter(raw, now);
  return seconds === undefined ? null : seconds * 1000;
}
/** True when Teams says the bot is no longer in the conversation (uninstalled, team deleted). */
export function isBotRemoved(error: unknown): boolean {
  const status = statusOf(error);
  const code = String((error as { code?: unknown })?.code ?? '');
  const message = error instanceof Error ? error.message : '';
  return (
    (status === 403 || status === 404) &&
    /BotNotInConversationRoster|ConversationNotFound|not.*(member|roster)|not found/i.test(
      `${code} ${message}`,
    )
  );
}

/** Runs `send` until it succeeds, retrying what Teams asks to retry; throws BOT_REMOVED when the bot was removed. */
export async function deliver<T>(send: () => Promise<T>, options: DeliveryOptions = {}): Promise<T> {
  const maxDelay = options.maxDelayMs ?? 30_000;
  const exponential = new ExponentialBackoff({
    initialDelay: options.baseDelayMs ?? 250,
    maxDelay,
    generator: halfJitterGenerator,
  });
  // Exponential backoff with jitter, unless a 429 says how long to wait.
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown>>(
    (context, previous) => {
      const step = (previous ?? exponential).next(context);
      const error = 'error' in context.result ? context.result.error : undefined;
      const after = statusOf(error) === 429 ? retryAfterMs(error) : null;
      return { delay: after === null ? step.duration : Math.min(maxDelay, after), state: step };
    },
  );
  const policy = retry(
    handleWhen((error) => RETRIABLE.has(statusOf(error) ?? 0)),
    { maxAttempts: (options.maxAttempts ?? 5) - 1, backoff },
  );
  const { onRetry } = options;
  if (onRetry) policy.onRetry(({ delay }) => onRetry(delay));
  try {
    return await policy.execute(() => send());
  } catch (error) {
    if (isBotRemoved(error)) {
      throw new CodedError('BOT_REMOVED', 'The bot is no longer in that conversation.', { cause: error });
    }
    throw error;
  }
}

import { CodedError } from '../core/errors';
/** Sending to Teams with retries: 429 waits for Retry-After, 412/502/504 back off, a removed bot stops. */

export interface DeliveryOptions {
  /** Waits; injected so tests do not sleep. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

const RETRIABLE = new Set([412, 429, 500, 502, 503, 504]);

/** The HTTP status of a connector error (botframework-connector's RestError), if it has one. */
export function statusOf(error: unknown): number | null {
  const candidate = error as { statusCode?: unknown; status?: unknown } | null;
  const status = candidate?.statusCode ?? candidate?.status;
  return typeof status === 'number' ? status : null;
}

/** Seconds or an HTTP date from a Retry-After header, in milliseconds. */
export function retryAfterMs(error: unknown): number | null {
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
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
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
export async function deliver<T>(send: () => Promise<T>, options: DeliveryOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (isBotRemoved(error)) {
        throw new CodedError('BOT_REMOVED', 'The bot is no longer in that conversation.', { cause: error });
      }
      const status = statusOf(error);
      if (status === null || !RETRIABLE.has(status) || attempt >= maxAttempts) throw error;
      const backoff = Math.min(cap, base * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
      const wait = status === 429 ? Math.min(cap, retryAfterMs(error) ?? backoff) : backoff;
      await options.sleep(wait);
    }
  }
}

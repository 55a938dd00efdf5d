/** Throttling policy for Graph calls: retry 429/503/504 after Retry-After, a bounded number of times. */
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../core/ports';
import { type GraphError, toGraphError } from './errors';

export interface RetryPolicy {
  /** Total tries per call, the first included. */
  readonly maxAttempts: number;
  /** Waits; injected so tests never sleep. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** Statuses Graph uses for "try again later". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);
/** For writes: 504 may mean the write happened, so it is not retried blindly. */
export const RETRYABLE_WRITE_STATUSES: ReadonlySet<number> = new Set([429, 503]);
// Same ceiling as the Graph client's RetryHandler.
const MAX_DELAY_SECONDS = 180;

/** Turns off the Graph client's own RetryHandler for one request: this policy retries instead, with injectable sleep. */
export const NO_CLIENT_RETRY = new RetryHandlerOptions(0, 0);

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How long to wait before try `attempt + 1`: Retry-After when given, else exponential backoff. */
export function retryDelayMs(retryAfterSeconds: number | undefined, attempt: number): number {
  const seconds = retryAfterSeconds ?? 2 ** (attempt - 1);
  return Math.min(seconds, MAX_DELAY_SECONDS) * 1000;
}

/** Runs `call`, retrying while Graph answers a retryable status; the last failure is thrown as GraphError. */
export async function withRetry<T>(
  policy: RetryPolicy,
  clock: Clock,
  call: () => Promise<T>,
  retryOn: ReadonlySet<number> = RETRYABLE_STATUSES,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    let failure: GraphError;
    try {
      return await call();
    } catch (error) {
      failure = toGraphError(error, clock.now());
    }
    if (!retryOn.has(failure.status) || attempt >= policy.maxAttempts) throw failure;
    await policy.sleep(retryDelayMs(failure.retryAfterSeconds, attempt));
  }
}

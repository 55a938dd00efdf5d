/** Throttling policy for Graph calls, as options of the Graph client's own RetryHandler: 429/503/504 after Retry-After. */
import { RetryHandler, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';

/** Waits `ms`; the lab's tests pass one that records and returns at once. */
export type Sleep = (ms: number) => Promise<void>;

/** Retries after the first try: four tries in all. */
export const MAX_RETRIES = 3;
/** The RetryHandler's base wait in seconds when Graph sends no Retry-After (it grows exponentially). */
export const RETRY_DELAY_SECONDS = 1;
/** The longest wait, the RetryHandler's own ceiling. */
export const MAX_DELAY_SECONDS = 180;
/** Statuses Graph uses for "try again later" (those the RetryHandler retries). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/** For reads: every retryable status is retried. */
export function readRetry(maxRetries = MAX_RETRIES): RetryHandlerOptions {
  return new RetryHandlerOptions(RETRY_DELAY_SECONDS, maxRetries);
}

/** For writes: 504 may mean the write happened, so it is not retried blindly. */
export function writeRetry(maxRetries = MAX_RETRIES): RetryHandlerOptions {
  return new RetryHandlerOptions(
    RETRY_DELAY_SECONDS,
    maxRetries,
    (_delay, _attempt, _request, _options, response) => response.status !== 504,
  );
}

/** The client's RetryHandler with the read policy; with `sleep`, its waits take no real time. */
export function createRetryHandler(sleep?: Sleep): RetryHandler {
  const handler = new RetryHandler(readRetry());
  // The handler waits in its private sleep(seconds) over setTimeout and has no option for it; graph-port tests
  // assert the waits through `sleep`, so a client update that renames it fails there rather than silently.
  if (sleep) Object.assign(handler, { sleep: (seconds: number) => sleep(seconds * 1000) });
  return handler;
}

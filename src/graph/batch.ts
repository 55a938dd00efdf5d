/** Graph JSON batching from the client side: chunks of 20, inner 429/503/504 retried after their Retry-After. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../core/ports';
import { parseRetryAfter } from '../core/retry-after';
import { MAX_DELAY_SECONDS, RETRY_DELAY_SECONDS, RETRYABLE_STATUSES, readRetry, type Sleep } from './retry';

/** Graph's limit of requests per `$batch`. */
export const BATCH_LIMIT = 20;

export interface BatchItem {
  readonly id: string;
  readonly method: 'GET';
  /** Relative to the version, e.g. `/servicePrincipals?$filter=…`. */
  readonly url: string;
}

export interface BatchAnswer {
  readonly id: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

interface BatchResponseBody {
  readonly responses?: readonly BatchAnswer[];
}

/** How inner requests Graph throttled are sent again: the client's RetryHandler never sees them (the batch is 200). */
export interface BatchRetry {
  readonly maxRetries: number;
  readonly sleep: Sleep;
}

/**
 * Sends `items` as `$batch` requests (20 per request) and returns every final answer by id. The client's
 * RetryHandler retries a throttled `$batch` request itself; inner requests answered 429/503/504 are sent again
 * in the next `$batch`, after the longest Retry-After among them.
 */
export async function sendBatch(
  client: Client,
  retry: BatchRetry,
  clock: Clock,
  items: readonly BatchItem[],
): Promise<Map<string, BatchAnswer>> {
  const answers = new Map<string, BatchAnswer>();
  for (let start = 0; start < items.length; start += BATCH_LIMIT) {
    let pending = items.slice(start, start + BATCH_LIMIT);
    for (let retries = 0; pending.length > 0; retries += 1) {
      const requests = pending;
      const body = (await client
        .api('/$batch')
        .middlewareOptions([readRetry(retry.maxRetries)])
        .post({ requests })) as BatchResponseBody;
      pending = [];
      let waitSeconds = 0;
      for (const item of requests) {
        const answer = body.responses?.find((r) => r.id === item.id) ?? missing(item.id);
        if (RETRYABLE_STATUSES.has(answer.status) && retries < retry.maxRetries) {
          pending.push(item);
          const after = parseRetryAfter(headerValue(answer.headers, 'retry-after'), clock.now());
          waitSeconds = Math.max(waitSeconds, after ?? RETRY_DELAY_SECONDS * 2 ** retries);
        } else {
          answers.set(item.id, answer);
        }
      }
      if (pending.length > 0) await retry.sleep(Math.min(waitSeconds, MAX_DELAY_SECONDS) * 1000);
    }
  }
  return answers;
}

function missing(id: string): BatchAnswer {
  return {
    id,
    status: 500,
    headers: {},
    body: {
      error: {
        code: 'MissingBatchResponse',
        message: `The $batch answer has no response for request ${id}.`,
      },
    },
  };
}

function headerValue(
  headers: Readonly<Record<string, string>> | undefined,
  name: string,
): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

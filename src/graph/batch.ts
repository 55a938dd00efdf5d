/** Graph JSON batching from the client side: chunks of 20, inner 429/503/504 retried after their Retry-After. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../core/ports';
import { parseRetryAfter } from './errors';
import { NO_CLIENT_RETRY, RETRYABLE_STATUSES, type RetryPolicy, retryDelayMs, withRetry } from './retry';

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

/** Sends `items` as `$batch` requests (20 per request) and returns every final answer by id. */
export async function sendBatch(
  client: Client,
  policy: RetryPolicy,
  clock: Clock,
  items: readonly BatchItem[],
): Promise<Map<string, BatchAnswer>> {
  const answers = new Map<string, BatchAnswer>();
  for (let start = 0; start < items.length; start += BATCH_LIMIT) {
    let pending = items.slice(start, start + BATCH_LIMIT);
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const requests = pending;
      const body = await withRetry(policy, clock, () =>
        client.api('/$batch').middlewareOptions([NO_CLIENT_RETRY]).post({ requests }),
      );
      const retry: BatchItem[] = [];
      let waitSeconds: number | undefined;
      for (const item of requests) {
        const answer =
          (body as BatchResponseBody).responses?.find((r) => r.id === item.id) ?? missing(item.id);
        if (RETRYABLE_STATUSES.has(answer.status) && attempt < policy.maxAttempts) {
          retry.push(item);
          // One wait covers every throttled request: the longest Retry-After among them.
          const after = parseRetryAfter(headerValue(answer.headers, 'retry-after'), clock.now());
          waitSeconds = after === undefined ? waitSeconds : Math.max(waitSeconds ?? 0, after);
        } else {
          answers.set(item.id, answer);
        }
      }
      if (retry.length > 0) await policy.sleep(retryDelayMs(waitSeconds, attempt));
      pending = retry;
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

/** Single Graph calls through the client, each under the throttling policy, every failure as a GraphError. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../core/ports';
import { toGraphError } from './errors';
import { readRetry, writeRetry } from './retry';

/** GET, POST and PATCH relative to the version root (`/applications/…`), retried by the client's RetryHandler. */
export class GraphRequests {
  constructor(
    readonly client: Client,
    private readonly clock: Clock,
    readonly maxRetries: number,
  ) {}

  /** Reads: every retryable status is retried. */
  get(path: string, query: Record<string, string> = {}): Promise<unknown> {
    return this.call(() =>
      this.client
        .api(path)
        .query(query)
        .middlewareOptions([readRetry(this.maxRetries)])
        .get(),
    );
  }

  /** Creates: a throttled POST was not carried out, so only 429/503 are retried (never a 504). */
  post(path: string, body: object): Promise<unknown> {
    return this.call(() =>
      this.client
        .api(path)
        .middlewareOptions([writeRetry(this.maxRetries)])
        .post(body),
    );
  }

  /** Updates, with the same retry rule as POST. */
  async patch(path: string, body: object): Promise<void> {
    await this.call(() =>
      this.client
        .api(path)
        .middlewareOptions([writeRetry(this.maxRetries)])
        .patch(body),
    );
  }

  /** One request exactly as given: a GET retried as a read, anything else as a write; resolves with the body or null. */
  async send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown): Promise<unknown> {
    const api = this.client
      .api(path)
      .middlewareOptions([method === 'GET' ? readRetry(this.maxRetries) : writeRetry(this.maxRetries)]);
    const answer = await this.call(() => {
      switch (method) {
        case 'GET':
          return api.get();
        case 'POST':
          return api.post(body);
        case 'PATCH':
          return api.patch(body);
        case 'DELETE':
          return api.delete();
      }
    });
    return answer ?? null;
  }

  /** Runs one client call (the RetryHandler has retried it); what it throws comes out as a GraphError. */
  async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toGraphError(error, this.clock.now());
    }
  }
}

/** A string as an OData string literal inside a `$filter` or key: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

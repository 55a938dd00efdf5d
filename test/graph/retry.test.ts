import { readRetry, writeRetry } from '../../src/graph/retry';

const answered = (status: number) => new Response(null, { status });
const PATCH = { method: 'PATCH' };

describe("Graph's throttling policy for the client's RetryHandler", () => {
  it('retries a read three times after the first try', () => {
    expect(readRetry()).toMatchObject({ maxRetries: 3 });
    expect(readRetry().shouldRetry(1, 1, 'https://graph.microsoft.com/v1.0/x', {}, answered(504))).toBe(true);
  });

  it('retries a write answered 429 or 503 but not 504, which may mean the write happened', () => {
    const policy = writeRetry();
    const retried = (status: number) =>
      policy.shouldRetry(1, 1, 'https://graph.microsoft.com/v1.0/x', PATCH, answered(status));
    expect([429, 503, 504].map(retried)).toEqual([true, true, false]);
  });
});

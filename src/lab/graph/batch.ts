/** Graph JSON batching (`POST /v1.0/$batch`): up to 20 requests, each answered on its own with its own status. */
import { GraphFault, type LabResponse } from './http';
import type { LabGraphRequest } from './resource';

export const MAX_BATCH_REQUESTS = 20;

/** Runs one inner request; `id` is the batch request id, `clientRequestId` from the inner headers. */
export type BatchStep = (
  request: LabGraphRequest,
  id: string,
  clientRequestId: string | undefined,
) => LabResponse;

interface InnerRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Validates a batch payload and answers every inner request in order; throws GraphFault for a bad payload. */
export function runBatch(payload: unknown, step: BatchStep): LabResponse {
  const requests = readRequests(payload);
  const responses = requests.map((inner) => {
    const response = answer(inner, step);
    const body = response.status === 204 ? {} : { body: response.body };
    const headers: Record<string, string> = { ...response.headers };
    if (response.body !== undefined && response.status !== 204) headers['content-type'] = 'application/json';
    return { id: inner.id, status: response.status, headers, ...body };
  });
  return { status: 200, body: { responses } };
}

function answer(inner: InnerRequest, step: BatchStep): LabResponse {
  const headers = lowerCaseKeys(inner.headers);
  if (inner.body !== undefined && headers['content-type'] === undefined) {
    throw new GraphFault(
      400,
      'BadRequest',
      `Write request id : ${inner.id} does not contain Content-Type header or body.`,
    );
  }
  const url = new URL(inner.url.startsWith('/') ? inner.url : `/${inner.url}`, 'https://batch.invalid');
  return step(
    { method: inner.method, path: url.pathname, query: url.searchParams, body: inner.body },
    inner.id,
    headers['client-request-id'],
  );
}

function readRequests(payload: unknown): InnerRequest[] {
  const requests = (payload as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new GraphFault(400, 'BadRequest', 'Invalid batch payload format.');
  }
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw new GraphFault(
      400,
      'BadRequest',
      `Number of requests in the batch exceeds the limit of ${MAX_BATCH_REQUESTS}.`,
    );
  }
  const ids = new Set<string>();
  return requests.map((raw: unknown) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const { id, method, url } = r;
    if (
      typeof id !== 'string' ||
      typeof method !== 'string' ||
      typeof url !== 'string' ||
      /^https?:/i.test(url)
    ) {
      throw new GraphFault(400, 'BadRequest', 'Invalid batch payload format.');
    }
    if (ids.has(id)) throw new GraphFault(400, 'BadRequest', `Request Id ${id} is duplicated.`);
    ids.add(id);
    const headers = (typeof r.headers === 'object' && r.headers !== null ? r.headers : {}) as Record<
      string,
      string
    >;
    return { id, method: method.toUpperCase(), url, headers, body: r.body };
  });
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

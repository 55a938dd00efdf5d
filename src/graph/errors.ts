/** The one error type Graph calls surface as: a CodedError (GRAPH_* codes) plus Graph's own status and code. */
import { CodedError, type GraphErrorCode } from '../core/errors';
import { parseRetryAfter } from '../core/retry-after';

export type { GraphErrorCode };

export interface GraphErrorDetails {
  /** Graph's HTTP status; 0 when Graph gave no answer (no token, unreachable, or a local check). */
  readonly status: number;
  /** Graph's (or Entra's) own error code, e.g. `Request_ResourceNotFound`, `AADSTS7000215`. */
  readonly graphCode: string | null;
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/** A failed Graph call: `code` is stable for callers, `status`/`graphCode` say what Graph (or Entra) answered. */
export class GraphError extends CodedError<GraphErrorCode> {
  override name = 'GraphError';
  readonly status: number;
  readonly graphCode: string | null;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: GraphErrorCode, message: string, details: GraphErrorDetails) {
    super(code, message, details.cause === undefined ? {} : { cause: details.cause });
    this.status = details.status;
    this.graphCode = details.graphCode;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Picks the stable code for an HTTP status Graph answered with. */
export function codeForStatus(status: number): GraphErrorCode {
  if (status === 401 || status === 403) return 'GRAPH_UNAUTHORIZED';
  if (status === 404) return 'GRAPH_NOT_FOUND';
  if (status === 429 || status === 503 || status === 504) return 'GRAPH_THROTTLED';
  if (status >= 400 && status < 500) return 'GRAPH_BAD_REQUEST';
  return 'GRAPH_REQUEST_FAILED';
}

/** Builds a GraphError from a Graph JSON error body (`{"error":{"code","message"}}`) and status. */
export function fromGraphBody(status: number, body: unknown, retryAfterSeconds?: number): GraphError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  const graphCode = typeof error?.code === 'string' ? error.code : null;
  const message = typeof error?.message === 'string' ? error.message : `Graph answered HTTP ${status}.`;
  return new GraphError(codeForStatus(status), message, { status, graphCode, retryAfterSeconds });
}

const AUTH_FAILURES = new Set([
  'AuthenticationRequiredError',
  'AuthenticationError',
  'CredentialUnavailableError',
]);

/** Anything a Graph client call threw, as a GraphError (the client's own GraphError keeps status and code). */
export function toGraphError(error: unknown, now: Date): GraphError {
  if (error instanceof GraphError) return error;
  const e = (error ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    body?: unknown;
    headers?: { get(name: string): string | null };
  };
  // The client keeps a thrown error's name and message only when it passes `instanceof Error` in its realm (not
  // so for fetch's TypeError under a sandbox such as jest); otherwise the original error is left in `body`.
  const original = (typeof e.body === 'object' && e.body !== null ? e.body : {}) as {
    name?: unknown;
    message?: unknown;
  };
  const message =
    typeof e.message === 'string' && e.message !== ''
      ? e.message
      : typeof original.message === 'string'
        ? original.message
        : String(error);
  const status = typeof e.statusCode === 'number' && e.statusCode > 0 ? e.statusCode : 0;
  const code = typeof e.code === 'string' ? e.code : typeof original.name === 'string' ? original.name : null;
  if (status > 0) {
    const retryAfterSeconds = parseRetryAfter(e.headers?.get('retry-after'), now);
    return new GraphError(codeForStatus(status), message, {
      status,
      graphCode: code,
      retryAfterSeconds,
      cause: error,
    });
  }
  if (code !== null && AUTH_FAILURES.has(code)) {
    // MSAL's text carries the Entra answer: "invalid_client: Error(s): 7000215 - … - Description: AADSTS7000215: …".
    const aadsts = /AADSTS\d+/.exec(message)?.[0] ?? null;
    const description = /AADSTS\d+:.*?(?= Trace ID:|$)/s.exec(message)?.[0] ?? message;
    // MSAL reports an unreachable or untrusted authority only as a failed metadata lookup.
    const hint = message.includes('endpoints_resolution_error')
      ? ' (the authority metadata could not be read: is the authority host reachable and its TLS certificate trusted?)'
      : '';
    return new GraphError(
      'GRAPH_AUTH_FAILED',
      `Could not get a Microsoft Graph token from Entra: ${description}${hint}`,
      {
        status: 0,
        graphCode: aadsts ?? code,
        cause: error,
      },
    );
  }
  if (code === 'TypeError' || /fetch failed|ECONNREFUSED|certificate/i.test(message)) {
    // The Graph client keeps only the message of fetch's TypeError, not its cause (e.g. the TLS error).
    return new GraphError(
      'GRAPH_UNREACHABLE',
      `Microsoft Graph could not be reached (${message}): is it up and its TLS certificate trusted?`,
      {
        status: 0,
        graphCode: null,
        cause: error,
      },
    );
  }
  return new GraphError('GRAPH_REQUEST_FAILED', message, { status: 0, graphCode: code, cause: error });
}

/** Small node:http helpers and Graph's error body, shared by the lab's token and Graph endpoints. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One answer of the lab Graph: used for top-level responses and for `$batch` inner responses alike. */
export interface LabResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A Graph failure a handler throws; the server turns it into Graph's JSON error body. */
export class GraphFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GraphFault';
  }
}

/** Builds Graph's error response: `{"error":{"code","message","innerError":{date,request-id,client-request-id}}}`. */
export function graphErrorResponse(
  fault: GraphFault,
  now: Date,
  clientRequestId: string | undefined,
): LabResponse {
  const requestId = randomUUID();
  return {
    status: fault.status,
    headers: { ...fault.headers, 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId },
    body: {
      error: {
        code: fault.code,
        message: fault.message,
        innerError: {
          // Graph prints the date without milliseconds or zone designator.
          date: now.toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': clientRequestId ?? requestId,
        },
      },
    },
  };
}

/** Reads the whole request body as text, refusing bodies over `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new GraphFault(413, 'Request_EntityTooLarge', 'The request body is too large.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes a LabResponse as JSON (no body for 204). */
export function send(res: ServerResponse, response: LabResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined || response.status === 204) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(response.status, headers);
  res.end(text);
}

/** The lab's Entra: an https token endpoint and Microsoft Graph v1.0 servicePrincipals and applications, backed by LabState. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/ports';
import { runBatch } from './graph/batch';
import { GraphFault, graphErrorResponse, type LabResponse, readBody, send } from './graph/http';
import { handleGraphRequest, type LabGraphRequest } from './graph/routes';
import { LabTokenService } from './graph/token';
import type { LabState } from './state';
import { createLabTls, type LabTls } from './tls';

export interface LabGraphServerOptions {
  readonly state: LabState;
  /** Saves the state; called before any mutation is answered. */
  readonly persist: () => void;
  readonly clock: Clock;
  /** TLS material; a fresh lab CA is made when absent. */
  readonly tls?: LabTls;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** PEM certificate the app may also sign client assertions with. */
  readonly clientCertificatePem?: string;
  /** 0 picks a free port. */
  readonly port?: number;
}

export interface LabGraphFaults {
  /** Answers the next `count` Graph calls (top-level or inside `$batch`) with 429 and `Retry-After`. */
  throttle(count: number, retryAfterSeconds: number): void;
}

export interface LabGraphServer {
  /** Graph base URL, e.g. `https://127.0.0.1:PORT/`. */
  readonly url: string;
  /** For `authorityHost`, e.g. `https://127.0.0.1:PORT`. */
  readonly authorityHost: string;
  readonly caPem: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly faults: LabGraphFaults;
  close(): Promise<void>;
}

const OPENID = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const TOKEN = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/** Starts the lab Graph/token server on 127.0.0.1 over https. */
export async function startLabGraphServer(options: LabGraphServerOptions): Promise<LabGraphServer> {
  const { state, persist, clock } = options;
  // TLS validity is checked against the host clock, not the lab clock, so the CA is made for real time.
  const tls = options.tls ?? (await createLabTls());
  const clientId = options.clientId ?? 'hybridops-lab';
  const clientSecret = options.clientSecret ?? 'hybridops-lab-secret';
  let baseUrl = '';
  const tokens = new LabTokenService({
    tenantId: state.tenant.tenantId,
    initialDomain: state.tenant.initialDomain,
    clientId,
    clientSecret,
    clientCertificatePem: options.clientCertificatePem,
    clock,
    baseUrl: () => baseUrl,
  });
  const throttle = { remaining: 0, retryAfterSeconds: 0 };

  /** Answers one Graph call and logs it; `$batch` inner calls come through here too. */
  const execute = (
    request: LabGraphRequest,
    logPath: string,
    clientRequestId: string | undefined,
  ): LabResponse => {
    let response: LabResponse;
    try {
      if (throttle.remaining > 0) {
        throttle.remaining -= 1;
        throw new GraphFault(
          429,
          'TooManyRequests',
          'Too many requests. Please retry after the time given in Retry-After.',
          {
            'retry-after': String(throttle.retryAfterSeconds),
          },
        );
      }
      response = handleGraphRequest({ state, persist, clock }, request);
    } catch (error) {
      response = graphErrorResponse(asFault(error), clock.now(), clientRequestId);
    }
    state.tenant.requestLog.push({
      at: clock.now().toISOString(),
      method: request.method,
      path: logPath,
      status: response.status,
    });
    return response;
  };

  const graph = async (req: IncomingMessage, url: URL): Promise<LabResponse> => {
    const method = req.method ?? 'GET';
    const clientRequestId = header(req, 'client-request-id');
    const logPath = safeDecode(`${url.pathname}${url.search}`);
    try {
      tokens.verify(header(req, 'authorization'));
      const body = await readJson(req);
      const path = url.pathname.slice('/v1.0'.length);
      if (path === '/$batch') {
        if (method !== 'POST')
          throw new GraphFault(
            405,
            'Request_BadRequest',
            'Specified HTTP method is not allowed for the request target.',
          );
        const response = runBatch(body, (inner, id, innerClientRequestId) =>
          execute(
            inner,
            `/v1.0/$batch#${id}${safeDecode(`${inner.path}${searchOf(inner.query)}`)}`,
            innerClientRequestId,
          ),
        );
        state.tenant.requestLog.push({
          at: clock.now().toISOString(),
          method,
          path: logPath,
          status: response.status,
        });
        return response;
      }
      return execute({ method, path, query: url.searchParams, body }, logPath, clientRequestId);
    } catch (error) {
      const response = graphErrorResponse(asFault(error), clock.now(), clientRequestId);
      state.tenant.requestLog.push({
        at: clock.now().toISOString(),
        method,
        path: logPath,
        status: response.status,
      });
      return response;
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = req.method ?? 'GET';
    if (url.pathname === '/v1.0' || url.pathname.startsWith('/v1.0/'))
      return send(res, await graph(req, url));
    const openId = OPENID.exec(url.pathname);
    if (openId !== null && method === 'GET') return send(res, tokens.openIdConfiguration(openId[1] ?? ''));
    const token = TOKEN.exec(url.pathname);
    if (token !== null && method === 'POST') {
      return send(res, tokens.token(token[1] ?? '', new URLSearchParams(await readBody(req))));
    }
    send(res, {
      status: 404,
      body: { error: 'not_found', error_description: `No lab endpoint at ${method} ${url.pathname}.` },
    });
  };

  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, graphErrorResponse(asFault(error), clock.now(), undefined));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `https://127.0.0.1:${port}/`;

  return {
    url: baseUrl,
    authorityHost: `https://127.0.0.1:${port}`,
    caPem: tls.caPem,
    tenantId: state.tenant.tenantId,
    clientId,
    clientSecret,
    faults: {
      throttle(count, retryAfterSeconds) {
        throttle.remaining = count;
        throttle.retryAfterSeconds = retryAfterSeconds;
      },
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; without this close() waits for their idle timeout.
        server.closeAllConnections();
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphFault(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
}

function asFault(error: unknown): GraphFault {
  if (error instanceof GraphFault) return error;
  return new GraphFault(500, 'InternalServerError', error instanceof Error ? error.message : String(error));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function searchOf(query: URLSearchParams): string {
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

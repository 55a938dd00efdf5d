/** The HTTP side: restify with the bot on /api/messages; the relay hub attaches to the same server. */
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import * as restify from 'restify';

/** The response header that carries the request's id, as its log lines do (`req.id`). */
export const REQUEST_ID_HEADER = 'x-request-id';

/** The path App Service's health check (and any load balancer) asks. */
export const HEALTH_PATH = '/healthz';

/** What the health check asks: resolves when the store answers, rejects with why it did not. */
export type HealthProbe = () => Promise<void>;

/** The health check: its probe, and how long it waits before answering 503 (default 5 s). */
export interface HealthCheck {
  readonly probe: HealthProbe;
  readonly timeoutMs?: number;
}

/**
 * Creates the restify server that hands /api/messages to the adapter and the bot, and answers the health
 * check. Every request is logged by pino-http with restify's request id (headers pass the root logger's
 * redaction, so no token reaches a log); the health check's successes are not, App Service asks every minute.
 */
export function createBotServer(
  adapter: CloudAdapter | null,
  runTurn: (context: TurnContext) => Promise<unknown>,
  logger: Logger,
  health: HealthCheck = { probe: async () => undefined },
): restify.Server {
  const server = restify.createServer({ name: 'hybridops', handleUncaughtExceptions: false });
  const logRequest = pinoHttp<restify.Request, restify.Response>({
    logger: logger.child({ component: 'http' }),
    autoLogging: { ignore: (req) => req.url === HEALTH_PATH },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  });
  server.pre((req, res, next) => {
    res.setHeader(REQUEST_ID_HEADER, req.id());
    logRequest(req, res, next);
  });
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    if (!adapter) {
      res.send(501, { error: 'This bot was built without an HTTP adapter.' });
      return;
    }
    try {
      await adapter.process(req, res, async (context) => {
        await runTurn(context);
      });
    } catch (error) {
      logger.error({ err: error, reqId: req.id() }, 'activity processing failed');
      if (!res.headersSent) res.send(500);
    }
  });
  server.get(HEALTH_PATH, async (req, res) => {
    const failure = await probeWithin(health.probe, health.timeoutMs ?? 5_000);
    if (failure === null) {
      res.send(200, { ok: true, store: 'reachable' });
      return;
    }
    // The reason goes to the log only: the health path is public, and the error may name the database host.
    logger.warn({ err: failure, reqId: req.id() }, 'health check: the store did not answer');
    res.send(503, { ok: false, store: 'unreachable' });
  });
  return server;
}

/** Runs the probe with a deadline; resolves with null when it answered, else with what went wrong. */
async function probeWithin(probe: HealthProbe, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Error>((resolve) => {
    timer = setTimeout(() => resolve(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([probe().then(() => null), deadline]);
  } catch (error) {
    return error;
  } finally {
    clearTimeout(timer);
  }
}

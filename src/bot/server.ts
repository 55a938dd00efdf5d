/** The HTTP side: restify with the bot on /api/messages; the relay hub attaches to the same server. */
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import * as restify from 'restify';

/** The response header that carries the request's id, as its log lines do (`req.id`). */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Creates the restify server that hands /api/messages to the adapter and the bot. Every request is logged by
 * pino-http with restify's request id (headers pass the root logger's redaction, so no token reaches a log).
 */
export function createBotServer(
  adapter: CloudAdapter | null,
  runTurn: (context: TurnContext) => Promise<unknown>,
  logger: Logger,
): restify.Server {
  const server = restify.createServer({ name: 'hybridops', handleUncaughtExceptions: false });
  const logRequest = pinoHttp<restify.Request, restify.Response>({
    logger: logger.child({ component: 'http' }),
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
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { ok: true });
    next();
  });
  return server;
}

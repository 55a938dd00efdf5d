/** The HTTP side: restify with the bot on /api/messages; the relay hub attaches to the same server. */
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import * as restify from 'restify';

/** Creates the restify server that hands /api/messages to the adapter and the bot. */
export function createBotServer(
  adapter: CloudAdapter | null,
  runTurn: (context: TurnContext) => Promise<unknown>,
  logger: Logger,
): restify.Server {
  const server = restify.createServer({ name: 'hybridops', handleUncaughtExceptions: false });
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
      logger.error({ err: error }, 'activity processing failed');
      if (!res.headersSent) res.send(500);
    }
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { ok: true });
    next();
  });
  return server;
}

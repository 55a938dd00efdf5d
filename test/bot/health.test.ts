/** The health check App Service asks (`GET /healthz`): 200 while the store answers, 503 when it does not. */
import pino from 'pino';
import { createBotServer, HEALTH_PATH } from '../../src/bot/server';
import { type BotHarness, startBot } from './support';

async function health(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${HEALTH_PATH}`);
  return { status: response.status, body: await response.json() };
}

describe('the health check', () => {
  let bot: BotHarness | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  it('answers 200 while the store answers', async () => {
    bot = await startBot();
    const { url } = await bot.app.listen(0);
    await expect(health(url)).resolves.toEqual({ status: 200, body: { ok: true, store: 'reachable' } });
  });

  it('answers 503, without saying where the database is, once the store stops answering', async () => {
    bot = await startBot();
    const { url } = await bot.app.listen(0);
    await bot.store.close();
    const answer = await health(url);
    expect(answer).toEqual({ status: 503, body: { ok: false, store: 'unreachable' } });
    expect(JSON.stringify(answer.body)).not.toContain(bot.dir);
  });

  it('answers 503 when the store hangs, instead of leaving the load balancer waiting', async () => {
    const server = createBotServer(null, async () => undefined, pino({ level: 'silent' }), {
      probe: () => new Promise<void>(() => undefined),
      timeoutMs: 200,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    await expect(health(`http://127.0.0.1:${port}`)).resolves.toEqual({
      status: 503,
      body: { ok: false, store: 'unreachable' },
    });
    server.server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createBotServer, REQUEST_ID_HEADER } from '../../src/bot/server';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/config/logger';

const BEARER_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJjb25uZWN0b3IifQ.bearer-token-signature';
const APP_PASSWORD = 'bot-client-secret-value';
const GRAPH_SECRET = 'graph-client-secret-value';
const AGENT_SECRET = 'relay-agent-secret-value';

/** A log destination that keeps every line. */
function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines, records };
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 100) throw new Error('The log line never came.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('logging', () => {
  it('logs a request with its id and without its bearer token, and a config without its secrets', async () => {
    const log = capturedLog();
    const logger = createLogger('info', log.stream);
    const server = createBotServer(null, async () => undefined, logger);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;

    const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BEARER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'status' }),
    });
    await response.text();
    const config = loadConfig({
      MICROSOFT_APP_ID: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
      MICROSOFT_APP_PASSWORD: APP_PASSWORD,
    });
    logger.info(
      {
        config,
        graph: { clientId: 'c', clientSecret: GRAPH_SECRET },
        agent: { agentId: 'ex01', secret: AGENT_SECRET },
      },
      'settings',
    );
    await until(() => log.records().some((record) => 'req' in record));
    server.server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const requestLine = log.records().find((record) => 'req' in record) as {
      level: number;
      req: { id: string; headers: Record<string, string> };
      res: { statusCode: number };
    };
    expect(requestLine.req.id).toBe(response.headers.get(REQUEST_ID_HEADER));
    expect(requestLine.req.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLine.req.headers.authorization).toBe('[redacted]');
    expect(requestLine.res.statusCode).toBe(501);
    expect(requestLine.level).toBe(50); // error: the bot answered 5xx
    const settingsLine = log.records().find((record) => record.msg === 'settings');
    expect(settingsLine).toMatchObject({
      config: { bot: { appId: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b', appPassword: '[redacted]' } },
      graph: { clientSecret: '[redacted]' },
      agent: { agentId: 'ex01', secret: '[redacted]' },
    });
    for (const secret of [BEARER_TOKEN, APP_PASSWORD, GRAPH_SECRET, AGENT_SECRET]) {
      expect(log.lines.join('\n')).not.toContain(secret);
    }
  });
});

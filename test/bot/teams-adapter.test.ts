import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import { ReusingTeamsAdapter, reuseTurnClients } from '../../src/bot/teams-adapter';

/** A connector that takes every activity posted to it and remembers where it went. */
async function startConnector() {
  const posted: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posted.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `m${posted.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const message = (serviceUrl: string, text: string): Activity =>
  ({
    type: ActivityTypes.Message,
    channelId: 'msteams',
    serviceUrl,
    id: `a-${text}`,
    text,
    from: { id: 'user-1', name: 'Alex' },
    recipient: { id: 'bot', name: 'hybridops' },
    conversation: { id: 'conv-1' },
  }) as Activity;

describe('the adapter reuses its clients across turns', () => {
  let connectors: Awaited<ReturnType<typeof startConnector>>[] = [];
  afterEach(async () => {
    await Promise.all(connectors.map((connector) => connector.close()));
    connectors = [];
  });

  /** Runs a turn that replies, and returns the connector client and user-token client the turn was given. */
  async function turn(adapter: ReusingTeamsAdapter, activity: Activity) {
    let clients: unknown[] = [];
    await adapter.processActivityDirect('', activity, async (context: TurnContext) => {
      clients = [
        context.turnState.get(adapter.ConnectorClientKey),
        context.turnState.get(adapter.UserTokenClientKey),
      ];
      await context.sendActivity(`echo ${activity.text}`);
    });
    return clients;
  }

  it('answers every turn through one connector client per service URL, and every reply arrives', async () => {
    const first = await startConnector();
    const second = await startConnector();
    connectors = [first, second];
    const adapter = new ReusingTeamsAdapter({});
    const [one, oneTokens] = await turn(adapter, message(first.url, 'one'));
    const [two, twoTokens] = await turn(adapter, message(first.url, 'two'));
    const [elsewhere] = await turn(adapter, message(second.url, 'three'));
    expect(one).toBeDefined();
    expect(two).toBe(one);
    expect(twoTokens).toBe(oneTokens);
    expect(elsewhere).not.toBe(one);
    expect(first.posted).toEqual([
      'POST /v3/conversations/conv-1/activities/a-one',
      'POST /v3/conversations/conv-1/activities/a-two',
    ]);
    expect(second.posted).toEqual(['POST /v3/conversations/conv-1/activities/a-three']);
  });

  it('posts proactively through the same reused client', async () => {
    const connector = await startConnector();
    connectors = [connector];
    const adapter = new ReusingTeamsAdapter({});
    const reference = { serviceUrl: connector.url, channelId: 'msteams', conversation: { id: 'conv-1' } };
    const seen: unknown[] = [];
    for (const text of ['first', 'second']) {
      await adapter.continueConversationAsync('', reference as never, async (context) => {
        seen.push(context.turnState.get(adapter.ConnectorClientKey));
        await context.sendActivity(text);
      });
    }
    expect(seen[1]).toBe(seen[0]);
    expect(connector.posted).toEqual([
      expect.stringMatching(/^POST \/v3\/conversations\/conv-1\/activities/),
      expect.stringMatching(/^POST \/v3\/conversations\/conv-1\/activities/),
    ]);
  });

  it('makes a client again after it could not be made, rather than keeping the failure', async () => {
    let attempts = 0;
    const claims = { getClaimValue: (type: string) => (type === 'aud' ? 'bot-app' : null) };
    const authentication = {
      authenticateRequest: async () => {
        throw new Error('not used');
      },
      createConnectorFactory: (_claims: unknown) => ({
        create: async (serviceUrl: string) => {
          attempts += 1;
          if (attempts === 1) throw new Error('the token service did not answer');
          return { serviceUrl, attempt: attempts };
        },
      }),
      createUserTokenClient: async () => ({}),
    };
    reuseTurnClients(authentication as never);
    const factory = authentication.createConnectorFactory(claims as never) as unknown as {
      create: (url: string) => Promise<unknown>;
    };
    await expect(factory.create('https://smba.example/')).rejects.toThrow('the token service did not answer');
    const made = await factory.create('https://smba.example/');
    expect(made).toEqual({ serviceUrl: 'https://smba.example/', attempt: 2 });
    expect(await factory.create('https://smba.example/')).toBe(made);
    expect(attempts).toBe(2);
  });
});

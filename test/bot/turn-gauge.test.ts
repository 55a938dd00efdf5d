import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { TurnGauge } from '../../src/bot/turn-gauge';

const turn = (type: string) => ({ activity: { type } }) as TurnContext;

describe('the turn gauge', () => {
  it('lets background work wait until the turns in flight are answered', async () => {
    const gauge = new TurnGauge({ quietMs: 5, maxWaitMs: 5_000 });
    const middleware = gauge.middleware();
    let answer = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const click = middleware(turn(ActivityTypes.Invoke), () => answered);
    const order: string[] = [];
    const background = gauge.quiet().then(() => order.push('run'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    order.push('answer');
    answer();
    await click;
    await background;
    expect(order).toEqual(['answer', 'run']);
  });

  it('does not count the bot’s own proactive turns, and waits no longer than its limit', async () => {
    const forever = new Promise<void>(() => undefined);
    // A proactive turn that never ends does not hold background work (were it counted, this would wait a minute).
    const proactive = new TurnGauge({ quietMs: 5, maxWaitMs: 60_000 });
    void proactive.middleware()(turn(ActivityTypes.Event), () => forever);
    await proactive.quiet();
    // A message turn that never ends holds it for the limit, and no longer.
    const limited = new TurnGauge({ quietMs: 5, maxWaitMs: 50 });
    void limited.middleware()(turn(ActivityTypes.Message), () => forever);
    const started = performance.now();
    await limited.quiet();
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('the turn gauge on the bot’s server', () => {
  let server: http.Server;
  let release = () => {};
  beforeEach(async () => {
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    server = http.createServer((_request, response) => {
      void released.then(() => response.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    release();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts a click that reached the server while the bot was busy, before background work starts', async () => {
    const gauge = new TurnGauge({ quietMs: 5, maxWaitMs: 5_000 });
    gauge.watch(server);
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(server, 'connection');
    const order: string[] = [];
    const background = gauge.quiet().then(() => order.push('run'));
    // Background work is waiting for quiet; a click arrives while the event loop is busy for 20 ms.
    await new Promise((resolve) => setImmediate(resolve));
    socket.write('POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Length: 2\r\n\r\n{}');
    const busyUntil = performance.now() + 20;
    while (performance.now() < busyUntil) {
      // the bot busy with other work
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    order.push('answer');
    release();
    await background;
    socket.destroy();
    expect(order).toEqual(['answer', 'run']);
  });
});

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
    const gauge = new TurnGauge({ quietMs: 5, maxWaitMs: 50 });
    const middleware = gauge.middleware();
    const forever = new Promise<void>(() => undefined);
    void middleware(turn(ActivityTypes.Event), () => forever);
    const started = Date.now();
    await gauge.quiet();
    expect(Date.now() - started).toBeLessThan(40);
    void middleware(turn(ActivityTypes.Message), () => forever);
    await gauge.quiet();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

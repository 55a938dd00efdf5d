/** The lab's loopback relay in a process that also runs the bot (restify loaded), as `npm run lab` is. */
import { SimulatedExchange } from '../../src/lab/exchange-org';
import { createLabState } from '../../src/lab/init';
import { type LoopbackRelay, startLoopbackRelay } from '../../src/playground/loopback-relay';
import { DOMAIN, fixedClock } from '../support/lab-org';

describe('the loopback relay', () => {
  let relay: LoopbackRelay;
  beforeAll(async () => {
    // restify replaces ServerResponse.prototype.writeHead process-wide with one that returns nothing.
    await import('restify');
    const clock = fixedClock();
    const state = await createLabState({ now: clock.now(), domain: DOMAIN });
    relay = await startLoopbackRelay(
      new SimulatedExchange(state, { clock, persist: () => undefined }),
      clock,
    );
  });
  afterAll(() => relay.close());

  it('answers a plain HTTP request with 404 and keeps running jobs', async () => {
    const response = await fetch(relay.url.replace(/^ws/, 'http').replace(/\/relay$/, '/'));
    expect(response.status).toBe(404);
    const [result] = await relay.ems.runReads([{ cmdlet: 'Get-AuthConfig', params: {} }]);
    expect(result?.ok).toBe(true);
  });
});

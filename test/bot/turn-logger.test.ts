import { Writable } from 'node:stream';
import { TestAdapter, TurnContext } from 'botbuilder';
import pino from 'pino';
import { turnLogger } from '../../src/bot/turn-logger';

describe('the turn logger', () => {
  it("writes every line of a turn with the activity's ids, from one child made once per turn", () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    const context = new TurnContext(new TestAdapter(), {
      id: 'activity-7',
      type: 'invoke',
      name: 'adaptiveCard/action',
      conversation: { id: '19:ops@thread.tacv2', isGroup: true, conversationType: 'channel', name: '' },
      from: { id: 'user-id-2', name: 'Lee Gu', aadObjectId: '00000000-0000-0000-0000-0000000000b1' },
    });
    expect(turnLogger(context, logger)).toBe(turnLogger(context, logger));
    turnLogger(context, logger).warn('card action failed');
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'card action failed',
        turn: {
          activityId: 'activity-7',
          type: 'invoke',
          name: 'adaptiveCard/action',
          conversationId: '19:ops@thread.tacv2',
          from: '00000000-0000-0000-0000-0000000000b1',
        },
      }),
    ]);
  });
});

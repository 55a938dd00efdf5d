import { agentsCard } from '../../src/bot/cards/org-cards';
import { cardText } from './support';

describe('the agents card', () => {
  it('shows each agent with whether it is connected, revoked, busy and when it was last seen', () => {
    const text = cardText(
      agentsCard([
        {
          id: 'ex01',
          connected: true,
          lastSeenAt: '2026-11-21T12:00:00.000Z',
          version: '0.1.0',
          jobsInFlight: 2,
          revoked: false,
        },
        { id: 'ex02', connected: false, lastSeenAt: null, version: null, jobsInFlight: 0, revoked: true },
      ]),
    );
    expect(text).toContain('**ex01 (connected) · 2 job(s) in flight** · seen 2026-11-21T12:00:00.000Z');
    expect(text).toContain('**ex02 (not connected) — revoked**');
  });

  it('says how to start an agent when none is registered', () => {
    expect(cardText(agentsCard([]))).toContain('Start the relay agent on an Exchange server.');
  });
});

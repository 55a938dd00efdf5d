import { createAlertStore } from '../../src/alerts/alert-store';
import { createWatch } from '../../src/alerts/watch';
import { runWatchCommand, watchStatusLines } from '../../src/alerts/watch-command';
import { openDatabase } from '../../src/store/database';
import { RecordingNotifier } from './watch-fixture';

const ORG = {
  id: 'fabrikam',
  name: 'fabrikam.com',
  runbook: 'teams' as const,
  inputs: { domain: 'fabrikam.com', dc: 'dc01.fabrikam.com', applicationAccount: true, acknowledged: false },
  channelId: '19:ops',
};

function watchWithoutOrgAccess() {
  const db = openDatabase(':memory:');
  const watch = createWatch({
    store: createAlertStore(db),
    notifier: new RecordingNotifier(),
    clock: { now: () => new Date('2026-11-21T12:30:00Z') },
    connect: async () => {
      throw new Error('agent offline');
    },
  });
  watch.register(ORG);
  return { watch, close: () => db.close() };
}

describe('the watch chat command', () => {
  it('shows the status: on, default thresholds, the next scan', () => {
    const { watch, close } = watchWithoutOrgAccess();
    const status = runWatchCommand(watch, 'fabrikam', 'status');
    const text = watchStatusLines(status).join('\n');
    expect(status).toMatchObject({
      enabled: true,
      thresholds: [60, 30, 14, 7, 1],
      nextScanAt: '2026-11-21T13:00:00.000Z',
    });
    expect(text).toMatch(/^Watch for fabrikam\.com is on; thresholds 60, 30, 14, 7, 1 days/);
    close();
  });

  it('turns the watch off and on, and sets thresholds', () => {
    const { watch, close } = watchWithoutOrgAccess();
    expect(runWatchCommand(watch, 'fabrikam', 'off')).toMatchObject({
      enabled: false,
      nextScanAt: null,
    });
    expect(runWatchCommand(watch, 'fabrikam', 'on').enabled).toBe(true);
    expect(runWatchCommand(watch, 'fabrikam', 'thresholds 60,30,7').thresholds).toEqual([60, 30, 7]);
    close();
  });

  it('answers an unknown subcommand and an unknown org with a sentence', () => {
    const { watch, close } = watchWithoutOrgAccess();
    expect(() => runWatchCommand(watch, 'fabrikam', 'louder')).toThrow(
      /use watch status, on, off or thresholds 60,30,7/,
    );
    expect(() => runWatchCommand(watch, 'nobody', 'status')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_ORG' }),
    );
    close();
  });

  it('records a scan that cannot reach the org as the last outcome instead of failing', async () => {
    const { watch, close } = watchWithoutOrgAccess();
    expect(await watch.scan('fabrikam')).toMatchObject({
      state: 'error',
      error: 'The scan could not read the org: agent offline',
    });
    expect(watch.status('fabrikam').lastScanOutcome).toBe('The scan could not read the org: agent offline');
    close();
  });
});

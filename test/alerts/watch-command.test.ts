import { createWatch } from '../../src/alerts/watch';
import { runWatchCommand, watchStatusLines } from '../../src/alerts/watch-command';
import type { AppDocuments } from '../../src/app';
import { openStore } from '../../src/store/open-store';
import { RecordingNotifier } from './watch-fixture';

const ORG = {
  id: 'fabrikam',
  name: 'fabrikam.com',
  runbook: 'teams' as const,
  inputs: { domain: 'fabrikam.com', dc: 'dc01.fabrikam.com', applicationAccount: true, acknowledged: false },
  channelId: '19:ops',
};

async function watchWithoutOrgAccess() {
  const store = await openStore<AppDocuments>(':memory:');
  const watch = createWatch({
    store: store.watch,
    notifier: new RecordingNotifier(),
    clock: { now: () => new Date('2026-11-21T12:30:00Z') },
    connect: async () => {
      throw new Error('agent offline');
    },
  });
  await watch.register(ORG);
  return { watch, close: () => store.close() };
}

describe('the watch chat command', () => {
  it('shows the status: on, default thresholds, the next scan', async () => {
    const { watch, close } = await watchWithoutOrgAccess();
    const status = await runWatchCommand(watch, 'fabrikam', 'status');
    const text = watchStatusLines(status).join('\n');
    expect(status).toMatchObject({
      enabled: true,
      thresholds: [60, 30, 14, 7, 1],
      nextScanAt: '2026-11-21T13:00:00.000Z',
    });
    expect(text).toMatch(/^Watch for fabrikam\.com is on; thresholds 60, 30, 14, 7, 1 days/);
    await close();
  });

  it('turns the watch off and on, and sets thresholds', async () => {
    const { watch, close } = await watchWithoutOrgAccess();
    expect(await runWatchCommand(watch, 'fabrikam', 'off')).toMatchObject({
      enabled: false,
      nextScanAt: null,
    });
    expect((await runWatchCommand(watch, 'fabrikam', 'on')).enabled).toBe(true);
    expect((await runWatchCommand(watch, 'fabrikam', 'thresholds 60,30,7')).thresholds).toEqual([60, 30, 7]);
    await close();
  });

  it('answers an unknown subcommand and an unknown org with a sentence', async () => {
    const { watch, close } = await watchWithoutOrgAccess();
    await expect(runWatchCommand(watch, 'fabrikam', 'louder')).rejects.toThrow(
      /use watch status, on, off or thresholds 60,30,7/,
    );
    await expect(runWatchCommand(watch, 'nobody', 'status')).rejects.toThrow(
      expect.objectContaining({ code: 'UNKNOWN_ORG' }),
    );
    await close();
  });

  it('records a scan that cannot reach the org as the last outcome instead of failing', async () => {
    const { watch, close } = await watchWithoutOrgAccess();
    expect(await watch.scan('fabrikam')).toMatchObject({
      state: 'error',
      error: 'The scan could not read the org: agent offline',
    });
    expect((await watch.status('fabrikam')).lastScanOutcome).toBe(
      'The scan could not read the org: agent offline',
    );
    await close();
  });
});

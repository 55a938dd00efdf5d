import type { AlertRecord } from '../../src/store/watch-repository';
import { describeEachStore, expectDriverError, storesOn } from './support';

interface Org {
  readonly id: string;
  readonly name: string;
  readonly channelId: string;
}
interface Card {
  readonly title: string;
  readonly note: string | null;
}
type Documents = { watchedOrg: Org; alertCard: Card; conversationReference: object };

const contoso: Org = { id: 'contoso', name: 'contoso.com', channelId: 'channel-1' };
const checks = new Map([
  ['oauth-config', { ok: false, alerted: true, since: '2026-03-01T06:00:00.000Z' }],
  ['partner-app', { ok: true, alerted: false, since: '2026-02-01T06:00:00.000Z' }],
]);
const alert: AlertRecord<Card> = {
  id: 'alert-1',
  orgId: 'contoso',
  createdAt: '2026-03-01T06:00:00.000Z',
  state: 'open',
  subjects: ['check:oauth-config', 'item:auth-cert'],
  card: { title: 'OAuth configuration drifted', note: null },
  messageId: null,
  snoozedUntil: null,
};

describeEachStore('the watch state', (target) => {
  const stores = storesOn(target);
  const open = async (url?: string) => {
    const store = await stores.open<Documents>(url);
    return { store, watch: store.watch };
  };

  it('keeps settings per org, and a scan result survives a change of settings', async () => {
    const { watch } = await open();
    await watch.saveSettings({ org: contoso, enabled: true, thresholds: [30, 7, 1], schedule: '0 6 * * *' });
    await watch.recordScan('contoso', '2026-03-01T06:00:00.000Z', '1 drift');
    await watch.saveSettings({ org: contoso, enabled: false, thresholds: [14], schedule: '0 7 * * *' });
    await watch.saveSettings({
      org: { ...contoso, id: 'adatum' },
      enabled: true,
      thresholds: [],
      schedule: '0 6 * * *',
    });

    expect(await watch.settings('contoso')).toEqual({
      org: contoso,
      enabled: false,
      thresholds: [14],
      schedule: '0 7 * * *',
      lastScanAt: '2026-03-01T06:00:00.000Z',
      lastScanOutcome: '1 drift',
    });
    expect((await watch.allSettings()).map((settings) => settings.org.id)).toEqual(['adatum', 'contoso']);
    expect(await watch.settings('fabrikam')).toBeNull();
  });

  it('remembers check states, threshold marks and alerts across a restart, so nothing alerts twice', async () => {
    const first = await open();
    const marks = [{ itemId: 'auth-cert', threshold: 30 }];
    await first.watch.commitScan('contoso', '2026-03-01T06:00:00.000Z', checks, marks, alert);
    await first.watch.commitScan('contoso', '2026-03-02T06:00:00.000Z', new Map(), marks, null);
    await first.store.close();

    const { watch } = await open(first.store.url);
    expect(await watch.checkStates('contoso')).toEqual(checks);
    expect(await watch.marks('contoso')).toEqual(new Set(['auth-cert|30']));
    expect(await watch.activeAlerts('contoso')).toEqual([alert]);
    expect(await watch.checkStates('adatum')).toEqual(new Map());
  });

  it('acknowledges, snoozes and resolves an alert; a resolved alert is no longer active', async () => {
    const { watch } = await open();
    await watch.commitScan('contoso', alert.createdAt, checks, [], alert);
    await watch.markPosted('alert-1', 'message-1');
    const snoozed = { title: alert.card.title, note: 'Snoozed by Bob until 5 March' };
    await watch.updateAlert('alert-1', 'snoozed', snoozed, '2026-03-05T06:00:00.000Z', null);
    expect(await watch.alert('alert-1')).toEqual({
      ...alert,
      state: 'snoozed',
      card: snoozed,
      messageId: 'message-1',
      snoozedUntil: '2026-03-05T06:00:00.000Z',
    });

    await watch.updateAlert('alert-1', 'resolved', alert.card, null, '2026-03-06T06:00:00.000Z');
    expect(await watch.activeAlerts('contoso')).toEqual([]);
    expect((await watch.alerts('contoso')).map((found) => found.state)).toEqual(['resolved']);
    expect(await watch.alert('alert-2')).toBeNull();
  });

  it('saves nothing of a scan whose alert cannot be saved', async () => {
    const { watch } = await open();
    await watch.commitScan('contoso', alert.createdAt, new Map(), [], alert);
    const marks = [{ itemId: 'auth-cert', threshold: 7 }];
    await expectDriverError(
      watch.commitScan('contoso', '2026-03-02T06:00:00.000Z', checks, marks, alert),
      /UNIQUE constraint|duplicate key/,
    );
    expect(await watch.checkStates('contoso')).toEqual(new Map());
    expect(await watch.marks('contoso')).toEqual(new Set());
  });
});

import { APP_IDS } from '../../src/runbooks/app-ids';
import {
  addRoleEntry,
  disablePartnerApplication,
  hybridAppId,
  removeAuthServers,
  removeKeys,
  renewCertificateExceptOn,
} from '../verify/faults';
import { openWatchedLab, type WatchedLab } from './watch-fixture';

describe('the watch on a lab org', () => {
  let w: WatchedLab;
  beforeEach(async () => {
    w = await openWatchedLab();
    const baseline = await w.watch.scan('contoso');
    expect(baseline).toMatchObject({ state: 'passing', alertId: null });
    w.lab.batchesSinceLastCall();
  });
  afterEach(() => w.close());

  it('reads the org with one $batch per scan and stays quiet while everything passes', async () => {
    await w.watch.scan('contoso');
    expect(w.lab.batchesSinceLastCall()).toBe(1);
    expect(w.notifier.take()).toEqual([]);
  });

  it.each([
    [
      'a renewed certificate missing on one service principal',
      'sp-key-7557eb47',
      async (x: WatchedLab) => {
        await renewCertificateExceptOn(x.lab.session, [
          APP_IDS.cloudVoicemail,
          APP_IDS.skypeForBusinessOnline,
        ]);
      },
    ],
    [
      'a removed key',
      'sp-key-db7de2b5',
      async (x: WatchedLab) => removeKeys(x.lab.session, APP_IDS.cloudVoicemail),
    ],
    [
      'a disabled partner application',
      'partner-teamsscheduler',
      (x: WatchedLab) => disablePartnerApplication(x.lab.session, 'TeamsScheduler'),
    ],
    [
      'a role with an extra entry',
      'role-entries',
      async (x: WatchedLab) => addRoleEntry(x.lab.session, 'TeamsSchedulerRole', 'AddDelegate'),
    ],
  ])(
    'raises exactly one alert for %s and clears it once the runbook fixed it',
    async (_case, checkId, breakIt) => {
      await breakIt(w);
      await w.watch.scan('contoso');
      await w.watch.scan('contoso');
      const cards = w.notifier.take();
      expect(cards).toHaveLength(1);
      const card = cards[0];
      expect(card?.drift.map((line) => line.checkId)).toContain(checkId);
      expect(card?.actions.planFix?.data).toMatchObject({
        runbook: 'teams',
        orgId: 'contoso',
        inputs: { domain: 'contoso.com', dc: 'dc01.contoso.com' },
      });

      await w.lab.apply('teams');
      const after = await w.watch.scan('contoso');
      expect(after).toMatchObject({ state: 'passing', resolvedAlertIds: [card?.alertId] });
      expect(w.notifier.updates.at(-1)?.card.state).toBe('resolved');
      expect((await w.watch.status('contoso')).activeAlerts).toEqual([]);
    },
  );

  it('raises one alert for a missing auth server, naming what is missing, and clears it when the server is back', async () => {
    removeAuthServers(w.lab.session);
    await w.watch.scan('contoso');
    const [card] = w.notifier.take();
    expect(card?.drift.map((line) => line.checkId)).toEqual(
      expect.arrayContaining(['exchange-online-oauth', 'oauth-connectivity']),
    );
    expect(card?.drift.find((line) => line.checkId === 'exchange-online-oauth')?.fix).toMatch(
      /^New-AuthServer /,
    );
    const fix = await w.lab.session.exchange.execute({
      cmdlet: 'New-AuthServer',
      params: {
        Name: 'EvoSts',
        AuthMetadataUrl:
          'https://login.windows.net/contoso.com/federationmetadata/2007-06/federationmetadata.xml',
      },
    });
    expect(fix.ok).toBe(true);
    // And links it to the dedicated hybrid application again, as the dedicated-app procedure does.
    const link = await w.lab.session.exchange.execute({
      cmdlet: 'Set-AuthServer',
      params: {
        Identity: 'EvoSts',
        ApplicationIdentifier: hybridAppId(w.lab.session) ?? '',
        DomainName: ['contoso.mail.onmicrosoft.com'],
      },
    });
    expect(link.ok).toBe(true);
    expect(await w.watch.scan('contoso')).toMatchObject({
      state: 'passing',
      resolvedAlertIds: [card?.alertId],
    });
  });

  it('says once that it cannot read the org, keeps the other alerts, and clears when the agent is back', async () => {
    await disablePartnerApplication(w.lab.session, 'TeamsScheduler');
    await w.watch.scan('contoso');
    w.offline = true;
    expect(await w.watch.scan('contoso')).toMatchObject({
      state: 'error',
      error: 'The scan could not read the org: relay agent contoso-ex01 is offline',
      resolvedAlertIds: [],
    });
    await w.watch.scan('contoso');
    const [, blind] = w.notifier.take();
    expect(blind?.drift.map((line) => line.checkId)).toEqual(['org-reachable']);
    expect((await w.watch.status('contoso')).activeAlerts).toHaveLength(2);
    w.offline = false;
    expect((await w.watch.scan('contoso')).resolvedAlertIds).toEqual([blind?.alertId]);
    expect(w.notifier.take()).toEqual([]);
  });

  it('does not repeat an alert after a restart', async () => {
    await disablePartnerApplication(w.lab.session, 'TeamsScheduler');
    await w.watch.scan('contoso');
    await w.restart();
    await w.watch.scan('contoso');
    expect(w.notifier.take()).toHaveLength(1);
  });

  it('posts an alert Teams refused at the next scan, once', async () => {
    w.notifier.failNext = 1;
    await disablePartnerApplication(w.lab.session, 'TeamsScheduler');
    expect((await w.watch.scan('contoso')).error).toMatch(/could not be posted: Teams answered 503/);
    expect(w.notifier.take()).toEqual([]);
    await w.watch.scan('contoso');
    await w.watch.scan('contoso');
    expect(w.notifier.take()).toHaveLength(1);
  });

  it('acknowledges from the card: the card updates and no reminder follows', async () => {
    await disablePartnerApplication(w.lab.session, 'TeamsScheduler');
    await w.watch.scan('contoso');
    const [card] = w.notifier.take();
    const acknowledged = await w.watch.acknowledge(card?.alertId ?? '', 'alice@contoso.com');
    expect(acknowledged).toMatchObject({
      state: 'acknowledged',
      note: expect.stringMatching(/^Acknowledged by alice@contoso.com/),
    });
    expect(acknowledged.actions.acknowledge).toBeNull();
    expect(w.notifier.updates.at(-1)).toEqual({ messageId: 'msg-1', card: acknowledged });
    await w.lab.advanceDays(3);
    await w.watch.scan('contoso');
    expect(w.notifier.take()).toEqual([]);
  });

  it('snoozes from the card and reminds once the snooze ends if the fault is still there', async () => {
    await disablePartnerApplication(w.lab.session, 'TeamsScheduler');
    await w.watch.scan('contoso');
    const [card] = w.notifier.take();
    await w.watch.snooze(card?.alertId ?? '', 1, 'alice@contoso.com');
    await w.watch.scan('contoso');
    expect(w.notifier.take()).toEqual([]);
    await w.lab.advanceDays(1);
    await w.watch.scan('contoso');
    const [reminder] = w.notifier.take();
    expect(reminder).toMatchObject({
      alertId: card?.alertId,
      state: 'open',
      note: expect.stringMatching(/^Reminder/),
    });
  });

  it('stops scanning when the watch is off', async () => {
    await w.watch.off('contoso');
    await disablePartnerApplication(w.lab.session, 'TeamsScheduler');
    expect(await w.watch.scanAll()).toEqual([]);
    await w.watch.on('contoso');
    expect(await w.watch.scanAll()).toHaveLength(1);
    expect(w.notifier.take()).toHaveLength(1);
  });
});

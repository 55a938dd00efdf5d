import { stageShortLivedCertificate } from '../verify/faults';
import { openWatchedLab, type WatchedLab } from './watch-fixture';

// The lab's auth certificate is valid for 1825 days from the day before the lab's start.
const CERT_DAYS = 1825;

describe('expiry alerts of the watch', () => {
  let w: WatchedLab;
  beforeEach(async () => {
    w = await openWatchedLab();
    await w.watch.scan('contoso');
  });
  afterEach(() => w.close());

  it('alerts once when the certificate reaches each threshold, across restarts, and clears after the rotation', async () => {
    await w.lab.advanceDays(CERT_DAYS - 61);
    await w.watch.scan('contoso');
    expect(w.notifier.take()).toEqual([]);

    await w.lab.advanceDays(1);
    await w.watch.scan('contoso');
    const [sixty] = w.notifier.take();
    expect(sixty?.title).toMatch(
      /^contoso\.com: Exchange auth certificate [0-9A-F]{40} expires in 60 day\(s\)$/,
    );
    expect(sixty?.expiries[0]?.where).toEqual([
      'Exchange',
      'Cloud Voicemail',
      'Teams Calendar Scheduler',
      'Skype for Business Online',
    ]);
    expect(sixty?.actions.planFix?.data).toMatchObject({ runbook: 'rotate-auth-cert' });
    expect(sixty?.severity).toBe('warning');

    await w.watch.scan('contoso');
    await w.restart();
    await w.lab.advanceDays(1);
    await w.watch.scan('contoso');
    expect(w.notifier.take()).toEqual([]);

    await w.lab.advanceDays(29);
    await w.watch.scan('contoso');
    expect(w.notifier.take().map((card) => card.expiries[0]?.threshold)).toEqual([30]);

    await w.lab.apply('rotate-auth-cert');
    const outcome = await w.watch.scan('contoso');
    expect(outcome.state).toBe('passing');
    expect(outcome.resolvedAlertIds).toHaveLength(2);
    expect(w.notifier.take()).toEqual([]);
  });

  it('leaves the staged certificate to the AuthAdmin servicelet, and clears once it has published it', async () => {
    await w.lab.advanceDays(CERT_DAYS - 40);
    await w.watch.scan('contoso');
    expect(w.notifier.take()).toHaveLength(1);
    await w.lab.apply('rotate-auth-cert');
    await w.watch.scan('contoso');
    // Staged 30 days ahead: nothing is due up to and including the effective date itself.
    await w.lab.advanceDays(30);
    await w.watch.scan('contoso');
    expect(w.notifier.take()).toEqual([]);

    // The servicelet's 18:00 run has published it.
    await w.lab.advanceDays(0.3);
    const outcome = await w.watch.scan('contoso');
    expect(outcome.state).toBe('passing');
    expect(w.notifier.take()).toEqual([]);
  });

  it("alerts at the thresholds for the staged certificate's own expiry too", async () => {
    await w.lab.advanceDays(10);
    const next = await stageShortLivedCertificate(w.lab.session, w.lab.clock.now(), 61, 90);
    // Its key is on no service principal yet (a drift alert of its own); only expiries count here.
    const expiries = () => w.notifier.take().filter((card) => card.expiries.length > 0);
    await w.watch.scan('contoso');
    expect(expiries()).toEqual([]);
    await w.lab.advanceDays(1);
    await w.watch.scan('contoso');
    const [sixty] = expiries();
    expect(sixty?.title).toBe(`contoso.com: Next auth certificate ${next} expires in 60 day(s)`);
    await w.lab.advanceDays(30);
    await w.watch.scan('contoso');
    expect(expiries().map((card) => card.expiries[0]?.threshold)).toEqual([30]);
  });

  it('says it once when several thresholds went by unseen, then again at the next one', async () => {
    await w.lab.advanceDays(CERT_DAYS - 10);
    await w.watch.scan('contoso');
    const [first] = w.notifier.take();
    expect(first?.expiries[0]).toMatchObject({ threshold: 14, daysLeft: 10 });
    expect(first?.severity).toBe('warning');
    await w.lab.advanceDays(3);
    await w.watch.scan('contoso');
    const [second] = w.notifier.take();
    expect(second?.expiries[0]).toMatchObject({ threshold: 7, daysLeft: 7 });
    expect(second?.severity).toBe('critical');
  });

  it('uses the thresholds set with "watch thresholds"', async () => {
    w.watch.setThresholds('contoso', '20, 5');
    await w.lab.advanceDays(CERT_DAYS - 30);
    await w.watch.scan('contoso');
    expect(w.notifier.take()).toEqual([]);
    await w.lab.advanceDays(10);
    await w.watch.scan('contoso');
    expect(w.notifier.take().map((card) => card.expiries[0]?.threshold)).toEqual([20]);
  });
});

describe('snoozing an expiry alert', () => {
  let w: WatchedLab;
  beforeEach(async () => {
    w = await openWatchedLab();
    await w.watch.scan('contoso');
  });
  afterEach(() => w.close());

  it('refuses, in one sentence, a snooze that would end after the certificate expires; a shorter one is taken', async () => {
    await w.lab.advanceDays(CERT_DAYS - 5);
    await w.watch.scan('contoso');
    const [alert] = w.notifier.take();
    await expect(w.watch.snooze(alert?.alertId ?? '', 7, 'Lee Gu')).rejects.toThrow(
      /^Not snoozed: this alert counts down to .* UTC, before the snooze would end; acknowledge it or plan the fix instead\.$/,
    );
    expect((await w.watch.snooze(alert?.alertId ?? '', 1, 'Lee Gu')).state).toBe('snoozed');
  });
});

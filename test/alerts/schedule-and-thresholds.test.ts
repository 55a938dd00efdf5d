import { nextScans, validateSchedule, WatchScheduler } from '../../src/alerts/schedule';
import { DEFAULT_THRESHOLDS, parseThresholds, reachedThreshold } from '../../src/alerts/thresholds';
import { CodedError } from '../../src/core/errors';

describe('alert thresholds', () => {
  it('default to 60, 30, 14, 7 and 1 days', () => {
    expect(DEFAULT_THRESHOLDS).toEqual([60, 30, 14, 7, 1]);
  });

  it('parse "60,30,7" in any order and spacing, largest first, without repeats', () => {
    expect(parseThresholds('7, 60,30 30')).toEqual([60, 30, 7]);
  });

  it.each(['', 'soon', '0', '60,-1', '99999'])('refuse %j with a sentence that shows the form', (text) => {
    expect(() => parseThresholds(text)).toThrow(CodedError);
    expect(() => parseThresholds(text)).toThrow(/e\.g\. 60,30,7/);
  });

  it('report the smallest threshold reached, and 0 once the date has come', () => {
    expect(reachedThreshold(61, DEFAULT_THRESHOLDS)).toBeNull();
    expect(reachedThreshold(60, DEFAULT_THRESHOLDS)).toBe(60);
    expect(reachedThreshold(10, DEFAULT_THRESHOLDS)).toBe(14);
    expect(reachedThreshold(0, DEFAULT_THRESHOLDS)).toBe(0);
    expect(reachedThreshold(-3, [])).toBe(0);
  });
});

describe('the scan schedule', () => {
  it('computes the next hourly scans from a given instant, in UTC', () => {
    const times = nextScans('0 * * * *', new Date('2026-11-21T12:30:00Z'), 3).map((date) =>
      date.toISOString(),
    );
    expect(times).toEqual([
      '2026-11-21T13:00:00.000Z',
      '2026-11-21T14:00:00.000Z',
      '2026-11-21T15:00:00.000Z',
    ]);
  });

  it('refuses a pattern that is not cron with a clear code', () => {
    expect(() => validateSchedule('every hour')).toThrow(expect.objectContaining({ code: 'BAD_SCHEDULE' }));
  });

  it('knows when each scheduled org runs next and forgets an org it no longer watches', () => {
    const scheduler = new WatchScheduler(
      async () => undefined,
      () => undefined,
    );
    scheduler.schedule('contoso', '0 3 * * *');
    expect(scheduler.nextRun('contoso')?.getUTCHours()).toBe(3);
    scheduler.unschedule('contoso');
    expect(scheduler.nextRun('contoso')).toBeNull();
    scheduler.stopAll();
  });
});
